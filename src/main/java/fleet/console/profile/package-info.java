/**
 * The fleet profile: one YAML file describing the fleet the console operates (namespace,
 * registry, workloads, declared JetStream streams, councils). Built-in defaults describe the
 * fleet of the operations runbook; a user's file changes only what it names. Every other part
 * of the console reads the fleet from here instead of hard-coding the runbook's names.
 * No JavaFX and no cluster client here: the profile is plain immutable values.
 */
package fleet.console.profile;
