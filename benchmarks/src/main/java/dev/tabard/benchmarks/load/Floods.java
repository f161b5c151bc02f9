package dev.tabard.benchmarks.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;

/**
 * The attacks of the flood load test, each from its own source addresses (127.0.2.0/24 and up), so the servers see
 * them as the distinct clients they would be. Each counts how its requests were answered.
 */
final class Floods {

    private Floods() {
    }

    /** A running flood. */
    interface Flood extends AutoCloseable {
        String name();

        /** How the servers answered, e.g. {@code 429×51234 201×100}. */
        String outcome();

        @Override
        void close();
    }

    /** One request an attacker thread sends: method, path, content type and body made for the n-th request. */
    record Request(String path, String contentType, String body) {
    }

    /**
     * Sends {@code make}'s requests as fast as {@code threads} keep-alive connections from {@code source} allow,
     * reconnecting whenever the server closes one.
     */
    static Flood requests(String name, String source, int threads, int port, Optional<SSLContext> tls, IntFunction<Request> make) {
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(daemon(() -> {
                RawHttp c = null;
                while (!stop.get()) {
                    try {
                        if (c == null || c.isClosed()) {
                            c = RawHttp.connect(source, port, tls, 10_000);
                        }
                        Request r = make.apply((int) sent.getAndIncrement());
                        RawHttp.Response res = c.exchange("POST", r.path(), r.contentType(), r.body());
                        answers.computeIfAbsent(String.valueOf(res.status()), k -> new AtomicLong()).incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        answers.computeIfAbsent("closed", k -> new AtomicLong()).incrementAndGet();
                        if (c != null) {
                            c.close();
                        }
                        c = null;
                    }
                }
                if (c != null) {
                    c.close();
                }
            }));
        }
        workers.forEach(Thread::start);
        return new Flood() {
            public String name() {
                return name;
            }

            public String outcome() {
                return render(answers);
            }

            public void close() {
                stop.set(true);
                join(workers);
            }
        };
    }

    /**
     * Slowloris: {@code connections} uploads, one per source address, each declaring a {@code declared}-byte body
     * and sending one byte per second; a connection the server cuts is opened again.
     */
    static Flood slowBodies(String name, String path, int connections, int declared, int port, Optional<SSLContext> tls) {
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
        Thread driver = daemon(() -> {
            RawHttp[] open = new RawHttp[connections];
            while (!stop.get()) {
                for (int i = 0; i < connections && !stop.get(); i++) {
                    try {
                        if (open[i] == null || open[i].isClosed()) {
                            open[i] = RawHttp.connect("127.0." + (3 + i / 250) + "." + (1 + i % 250), port, tls, 2_000);
                            open[i].startUpload(path, declared);
                            answers.computeIfAbsent("opened", k -> new AtomicLong()).incrementAndGet();
                        } else {
                            open[i].trickle();
                        }
                    } catch (IOException e) {
                        answers.computeIfAbsent("cut", k -> new AtomicLong()).incrementAndGet();
                        if (open[i] != null) {
                            open[i].close();
                        }
                        open[i] = null;
                    }
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
            for (RawHttp c : open) {
                if (c != null) {
                    c.close();
                }
            }
        });
        driver.start();
        return new Flood() {
            public String name() {
                return name;
            }

            public String outcome() {
                return render(answers);
            }

            public void close() {
                stop.set(true);
                join(List.of(driver));
            }
        };
    }

    static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    }

    private static String render(Map<String, AtomicLong> answers) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(answers).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('×').append(v.get()));
        return sb.toString();
    }

    private static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
