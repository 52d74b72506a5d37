package diffusionlab.engine.sample;

import java.util.Locale;

/** The samplers by their contract names: ancestral, ddim, langevin. */
public enum SamplerKind {
    ANCESTRAL, DDIM, LANGEVIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SamplerKind fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
