package dev.switchboard.aws.eventstream;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A header's typed value: the ten kinds the framing has (true and false are two type codes of one kind). */
public sealed interface HeaderValue {
    /** The type code on the wire. */
    int typeCode();

    /** Types 0 (true) and 1 (false). */
    record Bool(boolean value) implements HeaderValue {
        @Override
        public int typeCode() {
            return value ? 0 : 1;
        }
    }

    /** Type 2: a signed byte. */
    record Int8(byte value) implements HeaderValue {
        @Override
        public int typeCode() {
            return 2;
        }
    }

    /** Type 3: a signed 16-bit integer. */
    record Int16(short value) implements HeaderValue {
        @Override
        public int typeCode() {
            return 3;
        }
    }

    /** Type 4: a signed 32-bit integer. */
    record Int32(int value) implements HeaderValue {
        @Override
        public int typeCode() {
            return 4;
        }
    }

    /** Type 5: a signed 64-bit integer. */
    record Int64(long value) implements HeaderValue {
        @Override
        public int typeCode() {
            return 5;
        }
    }

    /** Type 6: at most 65,535 bytes. Holds its own copy. */
    final class Bytes implements HeaderValue {
        private final byte[] value;

        public Bytes(byte[] value) {
            if (value.length > EventStreamLimits.MAX_HEADER_VALUE_BYTES) {
                throw new IllegalArgumentException("a byte-array header holds at most 65535 bytes");
            }
            this.value = value.clone();
        }

        public byte[] value() {
            return value.clone();
        }

        int length() {
            return value.length;
        }

        byte[] shared() {
            return value;
        }

        @Override
        public int typeCode() {
            return 6;
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Bytes bytes && Arrays.equals(value, bytes.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /** Type 7: a UTF-8 string of at most 65,535 bytes. */
    record Text(String value) implements HeaderValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public int typeCode() {
            return 7;
        }
    }

    /** Type 8: milliseconds since the epoch. */
    record Timestamp(long epochMillis) implements HeaderValue {
        @Override
        public int typeCode() {
            return 8;
        }
    }

    /** Type 9: 16 bytes. */
    record Uuid(UUID value) implements HeaderValue {
        public Uuid {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public int typeCode() {
            return 9;
        }
    }
}
