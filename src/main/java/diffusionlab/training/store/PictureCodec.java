package diffusionlab.training.store;

import diffusionlab.training.PictureKind;
import diffusionlab.training.RunEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A run's {@link PictureKind pictures} as compact little-endian blobs, one per kind: the training sample (a flat
 * float array), the forward and reverse frames, the reverse chain's motion, the score field, the samples and the
 * quality against sampling steps. Each blob starts with a
 * version byte; a blob this code does not understand is an {@link IllegalArgumentException}.
 */
final class PictureCodec {
    private static final byte VERSION = 1;

    private PictureCodec() {
    }

    static byte[] encode(RunEvent.Picture picture) {
        return picture.accept(new RunEvent.Picture.Visitor<byte[]>() {
            @Override
            public byte[] data(RunEvent.Data d) {
                Out out = new Out(1 + size(d.cloud()));
                out.b.put(VERSION);
                out.floats(d.cloud());
                return out.b.array();
            }

            @Override
            public byte[] frames(RunEvent.Frames f) {
                byte[] kind = f.kind().id().getBytes(StandardCharsets.UTF_8);
                Out out = new Out(1 + 4 + kind.length + 8 + size(f.ts()) + size(f.clouds()));
                out.b.put(VERSION);
                out.b.putInt(kind.length).put(kind);
                out.b.putLong(f.trainingStep());
                out.ints(f.ts());
                out.floatArrays(f.clouds());
                return out.b.array();
            }

            @Override
            public byte[] motion(RunEvent.Motion m) {
                Out out = new Out(1 + 8 + size(m.ts()) + size(m.states()));
                out.b.put(VERSION);
                out.b.putLong(m.trainingStep());
                out.ints(m.ts());
                out.floatArrays(m.states());
                return out.b.array();
            }

            @Override
            public byte[] field(RunEvent.Field f) {
                Out out = new Out(1 + 8 + size(f.ts()) + 4 + 16 + size(f.vectors()));
                out.b.put(VERSION);
                out.b.putLong(f.trainingStep());
                out.ints(f.ts());
                out.b.putInt(f.size()).putDouble(f.min()).putDouble(f.max());
                out.floatArrays(f.vectors());
                return out.b.array();
            }

            @Override
            public byte[] samples(RunEvent.Samples s) {
                byte[] sampler = s.sampler().getBytes(StandardCharsets.UTF_8);
                Out out = new Out(1 + 8 + 4 + sampler.length + size(s.cloud()) + size(s.trajectories()));
                out.b.put(VERSION);
                out.b.putLong(s.trainingStep());
                out.b.putInt(sampler.length).put(sampler);
                out.floats(s.cloud());
                out.floatArrays(s.trajectories());
                return out.b.array();
            }

            @Override
            public byte[] quality(RunEvent.Quality q) {
                byte[] sampler = q.sampler().getBytes(StandardCharsets.UTF_8);
                Out out = new Out(1 + 8 + 4 + sampler.length + 4 + size(q.evaluations()) + 4 + 8 * q.distances().length
                        + 8);
                out.b.put(VERSION);
                out.b.putLong(q.trainingStep());
                out.b.putInt(sampler.length).put(sampler);
                out.b.putInt(q.points());
                out.ints(q.evaluations());
                out.b.putInt(q.distances().length);
                for (double d : q.distances()) {
                    out.b.putDouble(d);
                }
                out.b.putDouble(q.straightness());
                return out.b.array();
            }
        });
    }

    /** The picture of {@code kind} stored as {@code blob}. */
    static RunEvent.Picture decode(PictureKind kind, byte[] blob) {
        In in = new In(blob);
        return switch (kind) {
            case DATA -> new RunEvent.Data(in.floats());
            case FORWARD, REVERSE -> {
                PictureKind stored = PictureKind.byId(in.text());
                if (stored != kind) {
                    throw new IllegalArgumentException("a " + kind.id() + " blob holds " + stored);
                }
                long step = in.b.getLong();
                yield new RunEvent.Frames(kind, step, in.ints(), in.floatArrays());
            }
            case MOTION -> {
                long step = in.b.getLong();
                yield new RunEvent.Motion(step, in.ints(), in.floatArrays());
            }
            case FIELD -> {
                long step = in.b.getLong();
                int[] ts = in.ints();
                int size = in.b.getInt();
                double min = in.b.getDouble();
                double max = in.b.getDouble();
                yield new RunEvent.Field(step, ts, size, min, max, in.floatArrays());
            }
            case SAMPLES -> {
                long step = in.b.getLong();
                String sampler = in.text();
                float[] cloud = in.floats();
                yield new RunEvent.Samples(step, sampler, cloud, in.floatArrays());
            }
            case QUALITY -> {
                long step = in.b.getLong();
                String sampler = in.text();
                int points = in.b.getInt();
                int[] evaluations = in.ints();
                double[] distances = in.doubles();
                yield new RunEvent.Quality(step, sampler, points, evaluations, distances, in.b.getDouble());
            }
        };
    }

    // a null array is stored with the length -1
    private static int size(float[] v) {
        return 4 + (v == null ? 0 : 4 * v.length);
    }

    private static int size(int[] v) {
        return 4 + (v == null ? 0 : 4 * v.length);
    }

    private static int size(float[][] v) {
        int n = 4;
        if (v != null) {
            for (float[] row : v) {
                n += size(row);
            }
        }
        return n;
    }

    private static final class Out {
        final ByteBuffer b;

        Out(int size) {
            b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }

        void floats(float[] v) {
            if (v == null) {
                b.putInt(-1);
                return;
            }
            b.putInt(v.length);
            b.asFloatBuffer().put(v);
            b.position(b.position() + 4 * v.length);
        }

        void ints(int[] v) {
            if (v == null) {
                b.putInt(-1);
                return;
            }
            b.putInt(v.length);
            b.asIntBuffer().put(v);
            b.position(b.position() + 4 * v.length);
        }

        void floatArrays(float[][] v) {
            if (v == null) {
                b.putInt(-1);
                return;
            }
            b.putInt(v.length);
            for (float[] row : v) {
                floats(row);
            }
        }
    }

    private static final class In {
        final ByteBuffer b;

        In(byte[] blob) {
            b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
            byte version = b.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown frame blob version " + version);
            }
        }

        private int length() {
            int n = b.getInt();
            if (n < -1 || n > b.remaining()) {
                throw new IllegalArgumentException("corrupt frame blob: length " + n);
            }
            return n;
        }

        String text() {
            int n = length();
            byte[] bytes = new byte[Math.max(n, 0)];
            b.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        float[] floats() {
            int n = length();
            if (n < 0) {
                return null;
            }
            float[] v = new float[n];
            b.asFloatBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }

        int[] ints() {
            int n = length();
            if (n < 0) {
                return null;
            }
            int[] v = new int[n];
            b.asIntBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }

        double[] doubles() {
            int n = b.getInt();
            if (n < 0 || 8L * n > b.remaining()) {
                throw new IllegalArgumentException("corrupt frame blob: length " + n);
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = b.getDouble();
            }
            return v;
        }

        float[][] floatArrays() {
            int n = length();
            if (n < 0) {
                return null;
            }
            float[][] v = new float[n][];
            for (int i = 0; i < n; i++) {
                v[i] = floats();
            }
            return v;
        }
    }
}
