package diffusionlab.engine.sample;

import java.util.Locale;

/** sigma_t^2 of the ancestral step (Ho et al. 2020, sec. 3.2): beta_t (the notebook) or beta~_t. */
public enum VarianceType {
    BETA, POSTERIOR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VarianceType fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
