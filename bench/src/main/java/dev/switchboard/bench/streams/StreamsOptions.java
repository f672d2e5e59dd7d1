package dev.switchboard.bench.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What one run of the harness does: where it connects, how many streams, how long each is and how
 * fast they are opened. Every stream asks the upstream simulator (through the gateway, which
 * forwards the {@code "simulator"} object, or directly) for {@link #events()} content chunks at
 * {@link #tokensPerSecond()}.
 *
 * @param baseUrl        {@code http://host:port/prefix}; streams go to {@code prefix/chat/completions}
 * @param apiKey         sent as {@code Authorization: Bearer}
 * @param model          the request's {@code model}
 * @param streams        streams opened in all, each on its own connection
 * @param events         content chunks per stream
 * @param intervalMs     between content chunks; divides 1000, as the simulator takes whole tokens per second
 * @param rampPerSecond  streams opened per second until all are open
 * @param pid            a process to sample (RSS, threads, descriptors, CPU) every second
 * @param out            where the result files go
 * @param label          names the result files and the summary line
 * @param connectTimeout for each connection
 * @param readTimeout    the longest silence on a stream before it counts as timed out
 * @param warmupStreams  streams of {@link #WARMUP_EVENTS} events run and dropped first, in the same process, so
 *                       that the measured run starts with compiled code in the harness and in the target
 */
record StreamsOptions(
        URI baseUrl,
        String apiKey,
        String model,
        int streams,
        int events,
        int intervalMs,
        double rampPerSecond,
        Optional<Long> pid,
        Optional<Path> out,
        String label,
        Duration connectTimeout,
        Duration readTimeout,
        int warmupStreams) {

    /** Events of each warm-up stream. */
    static final int WARMUP_EVENTS = 20;

    static final String USAGE = """
            usage: SlowStreams --url BASE_URL (--key KEY | --key-file FILE) [options]
              --url URL               the target's base URL: http://127.0.0.1:8080/api/v1 (gateway),
                                      http://127.0.0.1:18080/v1 (simulator)
              --key KEY, --key-file F the API key (a file keeps it out of the process list)
              --model M               request model [bench/paced]
              --streams N             concurrent streams [1000]
              --seconds S             stream length [60]; content chunks = S * 1000 / interval
              --events E              content chunks per stream instead of --seconds
              --interval-ms I         between chunks, dividing 1000 [100]
              --ramp-per-second R     streams opened per second [500]
              --pid P                 sample this process every second: RSS, threads, fds, CPU
              --out DIR               write LABEL.json, LABEL.tsv and LABEL-samples.tsv there
              --label L               names the results [run]
              --connect-timeout-ms T  [10000]
              --read-timeout-ms T     silence before a stream counts as timed out [30000]
              --warmup-streams W      first run and drop W streams of 20 events [0]
            """;

    StreamsOptions {
        if (!"http".equals(baseUrl.getScheme()) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://host:port/...: " + baseUrl);
        }
        if (streams < 1 || events < 1 || rampPerSecond <= 0 || warmupStreams < 0) {
            throw new IllegalArgumentException(
                    "--streams, --events (or --seconds) and --ramp-per-second must be positive");
        }
        if (intervalMs < 1 || intervalMs > 1000 || 1000 % intervalMs != 0) {
            throw new IllegalArgumentException(
                    "--interval-ms must divide 1000 (the simulator takes whole tokens per second)");
        }
        if (label.isBlank() || !label.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--label must be letters, digits, '.', '_' or '-'");
        }
    }

    /** Parses the command line; an unknown or malformed option is an {@link IllegalArgumentException}. */
    static StreamsOptions parse(String... args) {
        Arguments a = new Arguments(args);
        String url = a.value("--url").orElseThrow(() -> new IllegalArgumentException("--url is required"));
        String key = a.value("--key")
                .or(() -> a.value("--key-file").map(StreamsOptions::readKey))
                .orElseThrow(() -> new IllegalArgumentException("--key or --key-file is required"));
        int interval = a.number("--interval-ms", 100);
        int seconds = a.number("--seconds", 60);
        int events = a.number("--events", (int) Math.min(Integer.MAX_VALUE, seconds * 1000L / Math.max(1, interval)));
        StreamsOptions options = new StreamsOptions(
                URI.create(url),
                key,
                a.value("--model").orElse("bench/paced"),
                a.number("--streams", 1000),
                events,
                interval,
                a.decimal("--ramp-per-second", 500),
                a.value("--pid").map(Long::parseLong),
                a.value("--out").map(Path::of),
                a.value("--label").orElse("run"),
                Duration.ofMillis(a.number("--connect-timeout-ms", 10_000)),
                Duration.ofMillis(a.number("--read-timeout-ms", 30_000)),
                a.number("--warmup-streams", 0));
        a.requireAllUsed();
        return options;
    }

    /** The warm-up run: {@link #warmupStreams()} short streams to the same target, no process sampled. */
    StreamsOptions warmup() {
        return new StreamsOptions(
                baseUrl,
                apiKey,
                model,
                Math.max(1, warmupStreams),
                Math.min(events, WARMUP_EVENTS),
                intervalMs,
                rampPerSecond,
                Optional.empty(),
                Optional.empty(),
                label + "-warmup",
                connectTimeout,
                readTimeout,
                0);
    }

    /** The simulator's pacing for {@link #intervalMs()}. */
    int tokensPerSecond() {
        return 1000 / intervalMs;
    }

    /** The simulator's interval exactly: a second divided by whole tokens per second. */
    long intervalNanos() {
        return 1_000_000_000L / tokensPerSecond();
    }

    /** How long a stream lasts when nothing is late: its content chunks after the first. */
    Duration streamLength() {
        return Duration.ofNanos((events - 1L) * intervalNanos());
    }

    InetSocketAddress address() {
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : 80;
        return new InetSocketAddress(baseUrl.getHost(), port);
    }

    /** The whole HTTP/1.1 request every stream sends, headers and body. */
    byte[] request() {
        String body = """
                {"model":"%s","stream":true,"messages":[{"role":"user","content":"Count slowly."}],\
                "simulator":{"tokens_per_second":%d,"output_tokens":%d}}""".formatted(model.replace("\\", "\\\\").replace("\"", "\\\""), tokensPerSecond(), events);
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        String path = baseUrl.getRawPath().replaceAll("/+$", "") + "/chat/completions";
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + baseUrl.getHost() + ":" + address().getPort() + "\r\n"
                + "Authorization: Bearer " + apiKey + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: text/event-stream\r\n"
                + "User-Agent: switchboard-slow-streams\r\n"
                + "Content-Length: " + json.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + json.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(json, 0, request, headBytes.length, json.length);
        return request;
    }

    @Override
    public String toString() { // never the key
        return "StreamsOptions[" + baseUrl + ", " + streams + " streams of " + events + " events every " + intervalMs
                + " ms, " + rampPerSecond + "/s]";
    }

    private static String readKey(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --key-file " + file, e);
        }
    }
}
