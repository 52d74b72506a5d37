package diffusionlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExperimentConfigTest {

    @Test
    void theEngineRefusesAModelOrAChainItCannotTrainNamingTheField() {
        ExperimentConfig d = ExperimentConfig.defaults();
        assertEquals("hidden", assertThrows(InvalidConfigException.class,
                () -> d.toBuilder().hidden(0).build().validate()).field());
        assertEquals("layers", assertThrows(InvalidConfigException.class,
                () -> d.toBuilder().layers(0).build().validate()).field());
        assertEquals("timesteps", assertThrows(InvalidConfigException.class,
                () -> d.toBuilder().timesteps(1).build().validate()).field());
        assertEquals("batchSize", assertThrows(InvalidConfigException.class,
                () -> d.toBuilder().batchSize(1).build().validate()).field());
        assertThrows(InvalidConfigException.class, () -> new Trainer(d.toBuilder().hidden(0).build()));
        d.validate(); // the defaults train
    }
}
