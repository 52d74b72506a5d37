package diffusionlab.training;

import java.util.Locale;

/** Where a run is in its life. Terminal states never change again. */
public enum RunState {
    QUEUED, RUNNING, PAUSED, DONE, STOPPED, DIVERGED, FAILED;

    public boolean isTerminal() {
        return this == DONE || this == STOPPED || this == DIVERGED || this == FAILED;
    }

    /** Training or waiting to train: may not be pruned. */
    public boolean isActive() {
        return this == QUEUED || this == RUNNING || this == PAUSED;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
