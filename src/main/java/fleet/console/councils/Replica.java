package fleet.console.councils;

/**
 * One orchestrator pod: each holds its own councils in memory.
 *
 * @param pod    the pod's name
 * @param ready  its Ready condition
 * @param state  its status as kubectl shows it (Running, CrashLoopBackOff...)
 * @param detail why it is not ready, when it says (last exit code...); empty otherwise
 */
public record Replica(String pod, boolean ready, String state, String detail) {
}
