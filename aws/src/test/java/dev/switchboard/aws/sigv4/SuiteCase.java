package dev.switchboard.aws.sigv4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One case of the transcribed AWS signing test suite: its context, its request, and what it expects. */
@SuppressWarnings("ArrayRecordComponent") // test data, read once and never compared
record SuiteCase(
        String name,
        AwsCredentials credentials,
        String region,
        String service,
        Instant time,
        boolean signBody,
        SignableRequest request,
        byte[] body,
        String canonicalRequest,
        String stringToSign,
        String signature) {
    static final String ROOT = "aws-sig-v4-test-suite";

    @Override
    public String toString() {
        return name;
    }

    static Stream<SuiteCase> all() {
        try {
            Path root =
                    Path.of(SuiteCase.class.getClassLoader().getResource(ROOT).toURI());
            try (Stream<Path> dirs = Files.list(root)) {
                return dirs.filter(Files::isDirectory).sorted().map(SuiteCase::load).toList().stream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static SuiteCase load(Path dir) {
        try {
            String context = Files.readString(dir.resolve("context.json"));
            String token = field(context, "token");
            AwsCredentials credentials = new AwsCredentials(
                    field(context, "access_key_id"), field(context, "secret_access_key"), token == null ? "" : token);
            ParsedRequest parsed = ParsedRequest.parse(Files.readAllBytes(dir.resolve("request.txt")));
            return new SuiteCase(
                    dir.getFileName().toString(),
                    credentials,
                    field(context, "region"),
                    field(context, "service"),
                    Instant.parse(field(context, "timestamp")),
                    context.contains("\"sign_body\": true"),
                    parsed.request(),
                    parsed.body(),
                    Files.readString(dir.resolve("header-canonical-request.txt")),
                    Files.readString(dir.resolve("header-string-to-sign.txt")),
                    Files.readString(dir.resolve("header-signature.txt")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string field of the context's flat JSON; the suite's values have no escapes. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** A request as the suite writes it: request line, header lines (folded ones continued), blank line, body. */
    @SuppressWarnings("ArrayRecordComponent") // test data, read once and never compared
    record ParsedRequest(SignableRequest request, byte[] body) {
        static ParsedRequest parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\n\n");
            String head = headEnd < 0 ? text : text.substring(0, headEnd);
            byte[] body =
                    headEnd < 0 ? new byte[0] : text.substring(headEnd + 2).getBytes(StandardCharsets.UTF_8);
            String[] lines = head.split("\n", -1);
            String requestLine = lines[0];
            String method = requestLine.substring(0, requestLine.indexOf(' '));
            String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
            int question = target.indexOf('?');
            String path = question < 0 ? target : target.substring(0, question);
            String query = question < 0 ? "" : target.substring(question + 1);
            String host = "";
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith(" ") || line.startsWith("\t")) {
                    String[] last = headers.get(headers.size() - 1);
                    last[1] = last[1] + " " + line;
                    continue;
                }
                int colon = line.indexOf(':');
                headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
            }
            List<HttpHeader> signed = new ArrayList<>();
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase("host")) {
                    host = header[1];
                } else {
                    signed.add(new HttpHeader(header[0], header[1]));
                }
            }
            return new ParsedRequest(new SignableRequest(method, host, path, query, signed), body);
        }
    }
}
