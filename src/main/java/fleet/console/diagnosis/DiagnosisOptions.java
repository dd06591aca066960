package fleet.console.diagnosis;

import java.time.Duration;

/**
 * The few judgements the rules leave to the operator.
 *
 * @param idleConsumer  how long a durable with messages waiting may go without a delivery or an ack
 *                      before "nobody takes its messages" (the fleet's services pull every few seconds)
 * @param notReadyGrace how long a running container may stay unready without failed probes before it
 *                      counts as a problem (a slow start is not one)
 * @param logLines      how many of a container's last lines the rules read
 */
public record DiagnosisOptions(Duration idleConsumer, Duration notReadyGrace, int logLines) {

    public static DiagnosisOptions defaults() {
        return new DiagnosisOptions(Duration.ofSeconds(60), Duration.ofSeconds(60), 200);
    }

    public DiagnosisOptions withIdleConsumer(Duration value) {
        return new DiagnosisOptions(value, notReadyGrace, logLines);
    }
}
