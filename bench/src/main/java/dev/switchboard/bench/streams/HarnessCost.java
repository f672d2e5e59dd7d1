package dev.switchboard.bench.streams;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What the harness itself spent: CPU time and garbage collection. It shares the cores with what it
 * measures, and its own collection pauses delay its clock readings, so a report says how much.
 *
 * @param cpuSeconds user plus system CPU time of this JVM
 * @param gcCount    collections (pauses, for a collector that reports its pauses apart, as ZGC does)
 * @param gcMillis   time in them, as the collectors report it
 */
record HarnessCost(double cpuSeconds, long gcCount, long gcMillis) {

    /** This JVM's totals so far. */
    static HarnessCost now() {
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        boolean pausesApart = collectors.stream().anyMatch(gc -> gc.getName().contains("Pauses"));
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            if (!pausesApart || gc.getName().contains("Pauses")) { // ZGC's "Cycles" are concurrent work
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
        }
        double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9
                : 0;
        return new HarnessCost(cpu, count, millis);
    }

    HarnessCost minus(HarnessCost earlier) {
        return new HarnessCost(cpuSeconds - earlier.cpuSeconds, gcCount - earlier.gcCount, gcMillis - earlier.gcMillis);
    }
}
