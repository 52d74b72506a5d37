package diffusionlab.training;

/** Everything a late viewer needs at once: the status, the whole history so far and the latest frames. */
public record RunSnapshot(RunStatus status, RunConfig config, long[] lossSteps, float[] lossValues,
                          long[] metricSteps, double[] metricValues, float[] data, int timesteps,
                          RunEvent.Frames forward, RunEvent.Frames reverse, RunEvent.Field field,
                          RunEvent.Samples samples) {
}
