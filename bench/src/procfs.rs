//! CPU time and resident memory of a process, from /proc.

/// CPU time of every thread of `pid`, in nanoseconds (schedstat has nanosecond resolution, unlike stat).
pub fn cpu_ns(pid: u32) -> u64 {
    schedstat_sum(pid, 0)
}

/// How many times the threads of `pid` were put on a CPU: each one is a wake-up (or a preemption),
/// which on a VM costs far more than the work it wakes for.
pub fn runs_on_cpu(pid: u32) -> u64 {
    schedstat_sum(pid, 2)
}

/// Field `field` of /proc/PID/task/*/schedstat, summed over threads.
fn schedstat_sum(pid: u32, field: usize) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .filter_map(|t| t.ok())
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| {
            s.split_whitespace()
                .nth(field)
                .and_then(|v| v.parse::<u64>().ok())
        })
        .sum()
}

/// utime + stime of `pid` from /proc/PID/stat, in nanoseconds (tick-based accounting, as `ps` and
/// `time` report it; coarser than schedstat, and on a VM it leaves out part of each wake-up).
pub fn stat_cpu_ns(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    // After the name: state is field 3, utime field 14 and stime field 15 (1-based over the whole line).
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<u64>().ok()))
        .sum();
    ticks * 1_000_000_000 / 100
}

/// Resident set size in KiB.
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// `pid` and all its descendants (LiteLLM runs workers as child processes).
pub fn with_children(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() {
        let parent = all[i];
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for e in entries.filter_map(|e| e.ok()) {
                let Ok(child) = e.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                let stat =
                    std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
                // Field 4 (after the parenthesised name) is the parent pid.
                let ppid = stat
                    .rsplit(')')
                    .next()
                    .and_then(|r| r.split_whitespace().nth(1))
                    .and_then(|p| p.parse::<u32>().ok());
                if ppid == Some(parent) && !all.contains(&child) {
                    all.push(child);
                }
            }
        }
        i += 1;
    }
    all
}

pub fn cpu_ns_all(pids: &[u32]) -> u64 {
    pids.iter().map(|&p| cpu_ns(p)).sum()
}
