package dev.fastembed.bench;

import java.util.Properties;

/**
 * What one child JVM reported, plus what the parent saw from outside: first-vector time, exit, and the machine's
 * 1-minute load average when the JVM started and ended (on a shared machine it says how comparable rows are).
 */
record Measurement(Run run, Properties values, double startToFirstVectorMs, double wallSeconds, String failure,
                   double loadAtStart, double loadAtEnd) {

    boolean ok() {
        return failure == null;
    }

    double number(String key) {
        String value = values.getProperty(key);
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    double peakRssMb() {
        return number("vm_hwm_kb") / 1024.0;
    }

    /** One child JVM: what it runs and how it is labelled in the report. */
    record Run(String id, String label, String mode, String contender, int callers) {
    }
}
