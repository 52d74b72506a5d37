package diffusionlab.web.pages;

import java.util.List;

/** {@code /}: the presets, the new-run form and the runs so far; {@code teacher} links to the class view. */
public record HomePage(List<PresetOption> presets, String selectedPreset, List<FieldGroup> groups,
                       List<RunRow> runs, List<String> lossVariants, boolean teacher) {
}
