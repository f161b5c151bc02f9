package dev.tabard.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The ratio {@link SdJwtBenchmarks} reports, measured in thread CPU time and in alternating blocks, for a machine too
 * busy for wall-clock throughput to mean much (other work only delays this thread, it does not add to its CPU time):
 * {@code java -cp benchmarks/target/benchmarks.jar dev.tabard.benchmarks.SdJwtCpuRatio [rounds]}.
 */
public final class SdJwtCpuRatio {

    private SdJwtCpuRatio() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String type : new String[] {"P256", "ED25519"}) {
            SdJwtBenchmarks b = new SdJwtBenchmarks();
            b.keyType = type;
            b.setUp();
            int block = 200;
            long raw = 0;
            long full = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < block; i++) {
                    b.rawTwoSignatureVerifies();
                }
                long t1 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < block; i++) {
                    b.sdJwtVcWithKeyBindingVerify();
                }
                long t2 = mx.getCurrentThreadCpuTime();
                if (r >= rounds / 4) {  // the first quarter warms up
                    raw += t1 - t0;
                    full += t2 - t1;
                }
            }
            long ops = (long) block * (rounds - rounds / 4);
            System.out.printf("%-8s raw two verifies: %8.0f ops/CPU-s   SD-JWT VC + KB verified: %8.0f ops/CPU-s   ratio %.0f%%%n",
                    type, ops * 1e9 / raw, ops * 1e9 / full, 100.0 * raw / full);
        }
    }
}
