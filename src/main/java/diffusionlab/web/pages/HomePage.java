package diffusionlab.web.pages;

import java.util.List;

/** {@code /}: the presets, the new-run form and the runs so far. */
public record HomePage(List<PresetOption> presets, String selectedPreset, List<FieldGroup> groups,
                       List<RunRow> runs, List<String> lossVariants) {
}
