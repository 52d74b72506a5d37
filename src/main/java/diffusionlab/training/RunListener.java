package diffusionlab.training;

/** Receives a run's events; called on the run's threads, so it must return quickly and never block. */
@FunctionalInterface
public interface RunListener {
    void onEvent(RunEvent event);
}
