package diffusionlab.training;

/**
 * Where the controls of a run go when another process trains it (the web role, docs/SCALING.md): to the store,
 * which tells the worker that holds the run, or changes the run at once when nobody holds it.
 */
interface RunRemote {
    enum Control { PAUSE, RESUME, STOP }

    /**
     * Asks for the control; false when the run's state does not allow it. The run shows the outcome as soon
     * as it is known here (at once for a run nobody trains, and a pause), else when its worker publishes it.
     */
    boolean control(Run run, Control control);
}
