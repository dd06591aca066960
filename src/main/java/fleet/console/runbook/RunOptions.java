package fleet.console.runbook;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The options a runbook run was started with, as the CLI spells them ({@code --service S --skip-build
 * --no-wait --via-job --manifests DIR --to-revision N --tag T --to DIR --source DIR}).
 */
public record RunOptions(Optional<String> service, boolean skipBuild, boolean noWait, boolean viaJob, Optional<Path> manifests,
                         OptionalLong toRevision, Optional<String> tag, boolean yes, java.util.Set<String> skip,
                         Optional<Path> backupTo, Optional<Path> source) {

    public RunOptions {
        skip = java.util.Set.copyOf(skip);
    }

    public static RunOptions none() {
        return new RunOptions(Optional.empty(), false, false, false, Optional.empty(), OptionalLong.empty(), Optional.empty(), false,
                java.util.Set.of(), Optional.empty(), Optional.empty());
    }

    /** Parts of a runbook to leave out ({@code --skip streams,councils} for deploy-all). */
    public RunOptions withSkip(java.util.Set<String> value) {
        return new RunOptions(service, skipBuild, noWait, viaJob, manifests, toRevision, tag, yes, value, backupTo, source);
    }

    public boolean skips(String part) {
        return skip.contains(part);
    }

    public RunOptions withService(String value) {
        return new RunOptions(Optional.of(value), skipBuild, noWait, viaJob, manifests, toRevision, tag, yes, skip, backupTo, source);
    }

    public RunOptions withSkipBuild(boolean value) {
        return new RunOptions(service, value, noWait, viaJob, manifests, toRevision, tag, yes, skip, backupTo, source);
    }

    public RunOptions withNoWait(boolean value) {
        return new RunOptions(service, skipBuild, value, viaJob, manifests, toRevision, tag, yes, skip, backupTo, source);
    }

    public RunOptions withViaJob(boolean value) {
        return new RunOptions(service, skipBuild, noWait, value, manifests, toRevision, tag, yes, skip, backupTo, source);
    }

    public RunOptions withManifests(Path value) {
        return new RunOptions(service, skipBuild, noWait, viaJob, Optional.of(value), toRevision, tag, yes, skip, backupTo, source);
    }

    public RunOptions withToRevision(long value) {
        return new RunOptions(service, skipBuild, noWait, viaJob, manifests, OptionalLong.of(value), tag, yes, skip, backupTo, source);
    }

    public RunOptions withTag(String value) {
        return new RunOptions(service, skipBuild, noWait, viaJob, manifests, toRevision, Optional.of(value), yes, skip, backupTo, source);
    }

    /** Where a backup writes its files on this machine ({@code --to DIR --source DIR}). */
    public RunOptions withBackupTo(Path value) {
        return new RunOptions(service, skipBuild, noWait, viaJob, manifests, toRevision, tag, yes, skip, Optional.of(value), source);
    }

    /** The fleet's source checkout the images are built from ({@code --source DIR}). */
    public RunOptions withSource(Path value) {
        return new RunOptions(service, skipBuild, noWait, viaJob, manifests, toRevision, tag, yes, skip, backupTo, Optional.of(value));
    }

    public RunOptions withYes(boolean value) {
        return new RunOptions(service, skipBuild, noWait, viaJob, manifests, toRevision, tag, value, skip, backupTo, source);
    }
}
