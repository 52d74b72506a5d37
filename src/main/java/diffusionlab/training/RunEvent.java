package diffusionlab.training;

/**
 * What a run publishes as it trains. Listeners receive these on the run's own threads and must not block.
 * Every consumer handles them through a {@link Visitor}, so the compiler checks that a new event is handled
 * everywhere. Point clouds are flat [n, 2] float arrays; the web layer packs them for the wire.
 */
public sealed interface RunEvent {

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of event; pictures are handled as one (see {@link Picture.Visitor}). */
    interface Visitor<R> {
        R status(StatusChanged event);

        R loss(LossPoints event);

        R metric(MetricPoint event);

        R picture(Picture picture);
    }

    /** State, step, speed or queue position changed. */
    record StatusChanged(RunStatus status) implements RunEvent {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.status(this);
        }
    }

    /** New points of the loss curve (batched, a few times a second). */
    record LossPoints(long[] steps, float[] values, long atMillis) implements RunEvent {
        /**
         * Points published now, in this process. {@code atMillis}: when the process that trains the run published
         * the newest one (web role, docs/SCALING.md), on its clock; 0 for now, here.
         */
        public LossPoints(long[] steps, float[] values) {
            this(steps, values, 0);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.loss(this);
        }
    }

    /** A new value of the sample-quality metric (sliced Wasserstein distance to held-out data). */
    record MetricPoint(long step, double value) implements RunEvent {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.metric(this);
        }
    }

    /**
     * The newest picture of one {@link PictureKind}: it replaces the older one of its kind wherever pictures are
     * kept (the run, the store, a viewer's outbox).
     */
    sealed interface Picture extends RunEvent {
        PictureKind kind();

        /** The training step of the weights it was drawn from (0 for pictures of the data). */
        long trainingStep();

        <R> R accept(Picture.Visitor<R> visitor);

        @Override
        default <R> R accept(RunEvent.Visitor<R> visitor) {
            return visitor.picture(this);
        }

        /** One method per shape of picture. */
        interface Visitor<R> {
            R data(Data data);

            R frames(Frames frames);

            R motion(Motion motion);

            R field(Field field);

            R samples(Samples samples);

            R quality(Quality quality);
        }
    }

    /** The training sample drawn behind every picture (at most {@link PictureDrawer#POINTS} points). */
    record Data(float[] cloud) implements Picture {
        @Override
        public PictureKind kind() {
            return PictureKind.DATA;
        }

        @Override
        public long trainingStep() {
            return 0;
        }

        @Override
        public <R> R accept(Picture.Visitor<R> visitor) {
            return visitor.data(this);
        }
    }

    /**
     * Point clouds at the time steps {@code ts} (paper notation, 0 = data, T = noise): kind FORWARD is q(x_t),
     * REVERSE the reverse chain of the current EMA model (for score models the Langevin chain, ts then counting
     * iterations).
     */
    record Frames(PictureKind kind, long trainingStep, int[] ts, float[][] clouds) implements Picture {
        public Frames {
            if (kind != PictureKind.FORWARD && kind != PictureKind.REVERSE) {
                throw new IllegalArgumentException("frames are forward or reverse, not " + kind);
            }
        }

        @Override
        public <R> R accept(Picture.Visitor<R> visitor) {
            return visitor.frames(this);
        }
    }

    /**
     * A few particles of the reverse chain (for score models the Langevin chain) through its states: states[j] is
     * [n, 2] at step ts[j], in chain order from noise (ts[0] = T, or iteration 0 for Langevin) to the samples.
     * The same chain as the {@link PictureKind#REVERSE} frames, thinned to at most
     * {@link PictureDrawer#MOTION_STATES} states.
     */
    record Motion(long trainingStep, int[] ts, float[][] states) implements Picture {
        @Override
        public PictureKind kind() {
            return PictureKind.MOTION;
        }

        @Override
        public <R> R accept(Picture.Visitor<R> visitor) {
            return visitor.motion(this);
        }
    }

    /** The learned score on a size x size grid over [min, max]^2 at each of ts, [size*size, 2] each. */
    record Field(long trainingStep, int[] ts, int size, double min, double max, float[][] vectors)
            implements Picture {
        @Override
        public PictureKind kind() {
            return PictureKind.FIELD;
        }

        @Override
        public <R> R accept(Picture.Visitor<R> visitor) {
            return visitor.field(this);
        }
    }

    /** Samples of the current model over the data, plus (score models) a few Langevin trajectories. */
    record Samples(long trainingStep, String sampler, float[] cloud, float[][] trajectories) implements Picture {
        @Override
        public PictureKind kind() {
            return PictureKind.SAMPLES;
        }

        @Override
        public <R> R accept(Picture.Visitor<R> visitor) {
            return visitor.samples(this);
        }
    }

    /**
     * Sample quality against sampling steps ({@link QualitySweep}): the sliced Wasserstein distance to held-out data
     * of {@code points} samples of the run's deterministic {@code sampler} at each number of network evaluations
     * {@code evaluations[i]} (increasing; the last is the full chain), all from the same noise, and the
     * straightness S of the full chain's paths (mean squared deviation from their chords, docs/MATH.md).
     */
    record Quality(long trainingStep, String sampler, int points, int[] evaluations, double[] distances,
                   double straightness) implements Picture {
        @Override
        public PictureKind kind() {
            return PictureKind.QUALITY;
        }

        @Override
        public <R> R accept(Picture.Visitor<R> visitor) {
            return visitor.quality(this);
        }
    }
}
