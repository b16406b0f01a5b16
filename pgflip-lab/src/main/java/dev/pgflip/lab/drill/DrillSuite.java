package dev.pgflip.lab.drill;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A drill over several faults ({@code --fault all} or a list): {@code {"faults":[…]}}, one {@link DrillResult} per
 * fault, each exactly what a drill of that fault alone writes.
 */
public record DrillSuite(@JsonProperty("faults") List<DrillResult> faults) {

    public DrillSuite {
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** Whether every fault's checks held. */
    @JsonIgnore
    public boolean passed() {
        return faults.stream().allMatch(f -> f.summary() != null && f.summary().passed());
    }
}
