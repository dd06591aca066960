package fleet.console.councils;

import java.util.List;
import java.util.Optional;

/**
 * The council configuration in force, from where the fleet keeps each part: the vLLM URL and model in
 * ConfigMap {@code service-urls}; the agents per council as a literal in the init-councils Job (there is no
 * ConfigMap for it), or the profile's when that Job is gone; the roles from the profile.
 *
 * @param agentsSource where {@code agentsPerCouncil} came from, in words
 * @param notes        where the sources disagree with the profile, in words
 */
public record CouncilConfiguration(Optional<String> vllmUrl, Optional<String> vllmModel, int agentsPerCouncil,
                                   String agentsSource, List<String> roles, String profileModel, List<String> notes) {

    public CouncilConfiguration {
        roles = List.copyOf(roles);
        notes = List.copyOf(notes);
    }

    /** The model new councils get: the ConfigMap's, as the init job passes it, else the profile's. */
    public String model() {
        return vllmModel.orElse(profileModel);
    }
}
