//! Resident memory of this process, from /proc (Linux).

/// A field of /proc/self/status in bytes, e.g. `VmRSS` (resident now) or `VmHWM` (peak resident).
pub fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        let kib: u64 = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kib * 1024)
    })
}

/// Resident memory now, in bytes (0 where /proc is missing).
pub fn current() -> u64 {
    status_bytes("VmRSS").unwrap_or(0)
}

/// Peak resident memory since start or the last [`reset_peak`], in bytes.
pub fn peak() -> u64 {
    status_bytes("VmHWM").unwrap_or(0)
}

/// Resets the peak to the current resident size (writes 5 to /proc/self/clear_refs); false if refused.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Bytes as MiB with one decimal, for reports.
pub fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}
