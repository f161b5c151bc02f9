package dev.vouch.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A closed-loop HTTP load generator: {@code connections} workers each send the next request as soon as the last
 * answered, for a warm-up and then a measured period. Reports throughput, error count and latency percentiles.
 */
public final class HttpLoad {

    /** One measured run. */
    public record Result(double perSecond, long ok, long failed, double p50Millis, double p99Millis) {
        @Override
        public String toString() {
            return String.format("%.0f requests/s, %d ok, %d failed, p50 %.2f ms, p99 %.2f ms", perSecond, ok, failed, p50Millis, p99Millis);
        }
    }

    private HttpLoad() {
    }

    /**
     * @param request makes the {@code i}-th request of a worker (workers number their requests on their own)
     * @param success the status code that counts as success
     */
    public static Result run(int connections, Duration warmup, Duration measure, IntFunction<HttpRequest> request, int success)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            int worker = w;
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 20];
                int n = 0;
                int i = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    HttpResponse<Void> r;
                    try {
                        r = client.send(request.apply(worker * 10_000_000 + i++), HttpResponse.BodyHandlers.discarding());
                    } catch (Exception e) {
                        if (t0 >= measureFrom) {
                            failed.incrementAndGet();
                        }
                        continue;
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && t1 <= end) {
                        if (r.statusCode() == success) {
                            ok.incrementAndGet();
                            if (n < lat.length) {
                                lat[n++] = t1 - t0;
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6;
        double p99 = sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e6;
        return new Result(ok.get() / (measure.toNanos() / 1e9), ok.get(), failed.get(), p50, p99);
    }

    /** {@code HttpLoad issue BASE_URL ADMIN_TOKEN AGENT_DID [connections] [seconds]}: AgentCredential issuance over HTTP. */
    public static void main(String[] args) throws Exception {
        if (args.length < 4 || !args[0].equals("issue")) {
            System.err.println("usage: HttpLoad issue BASE_URL ADMIN_TOKEN AGENT_DID [connections] [seconds]");
            System.exit(2);
        }
        String base = args[1];
        String token = args[2];
        String agent = args[3];
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        URI uri = URI.create(base + "/admin/agents/" + agent + "/credentials");
        Result r = run(connections, Duration.ofSeconds(5), Duration.ofSeconds(seconds),
                i -> HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                201);
        System.out.println("AgentCredential issuance over HTTP, " + connections + " connections, " + seconds + " s: " + r);
    }
}
