package dev.switchboard.aws.eventstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The transcribed AWS event-stream vectors (resources/event-stream/aws-test-vectors.txt names the source). */
final class Vectors {
    @SuppressWarnings("ArrayRecordComponent") // test data, read once and never compared
    record Vector(String name, boolean success, byte[] encoded) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Vectors() {}

    static Map<String, Vector> all() {
        try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream("event-stream/aws-test-vectors.txt")) {
            Map<String, Vector> vectors = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.strip().split(" ", -1);
                vectors.put(
                        fields[0],
                        new Vector(
                                fields[0],
                                fields[1].equals("success"),
                                HexFormat.of().parseHex(fields[2])));
            }
            return vectors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Vector named(String name) {
        return all().get(name);
    }
}
