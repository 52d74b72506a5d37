package diffusionlab.training;

import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The type of a config field: how a value is read from what a client sent (JSON, or the command line's
 * strings), with an {@link InvalidConfigException} naming the field when it has the wrong type, and how it
 * is written back as JSON.
 */
public sealed interface FieldType<T> {

    T parse(String field, Object raw);

    Object toJson(T value);

    /** A value for the README: 0.0001, `sigmoid`. */
    default String describe(T value) {
        return String.valueOf(toJson(value));
    }

    /** The allowed values for the README, given the field's range (null for non-numeric types). */
    String allowed(FieldRange range);

    /** Free text of 1 to {@code maxLength} printable characters, stripped; see {@link UserText} for what is refused. */
    record Text(int maxLength) implements FieldType<String> {
        @Override
        public String parse(String field, Object raw) {
            if (!(raw instanceof String s)) {
                throw new InvalidConfigException(field, field + " must be a string");
            }
            if (s.isBlank() || s.length() > maxLength) {
                throw new InvalidConfigException(field, field + " must be 1 to " + maxLength + " printable characters");
            }
            s.codePoints().filter(UserText::isRefused).findFirst().ifPresent(c -> {
                throw new InvalidConfigException(field, field + " must not hold control characters, bidirectional "
                        + "controls or line separators (it holds " + String.format("U+%04X", c) + ")");
            });
            return s.strip();
        }

        @Override
        public Object toJson(String value) {
            return value;
        }

        @Override
        public String allowed(FieldRange range) {
            return "1 to " + maxLength + " printable characters";
        }
    }

    /** An int, given as a whole number. */
    record WholeNumber() implements FieldType<Integer> {
        @Override
        public Integer parse(String field, Object raw) {
            long v = LongNumber.whole(field, raw);
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                throw new InvalidConfigException(field, field + " is far out of range");
            }
            return (int) v;
        }

        @Override
        public Object toJson(Integer value) {
            return value;
        }

        @Override
        public String allowed(FieldRange range) {
            return range.interval();
        }
    }

    /** A long, given as a whole number (at most 9e15, where doubles still count in ones). */
    record LongNumber() implements FieldType<Long> {
        @Override
        public Long parse(String field, Object raw) {
            return whole(field, raw);
        }

        static long whole(String field, Object raw) {
            double d = Decimal.number(field, raw);
            if (d != Math.rint(d) || Math.abs(d) > 9e15) {
                throw new InvalidConfigException(field, field + " must be a whole number");
            }
            return (long) d;
        }

        @Override
        public Object toJson(Long value) {
            return value;
        }

        @Override
        public String allowed(FieldRange range) {
            return range.interval();
        }
    }

    /** A finite double. */
    record Decimal() implements FieldType<Double> {
        @Override
        public Double parse(String field, Object raw) {
            return number(field, raw);
        }

        static double number(String field, Object raw) {
            double d;
            if (raw instanceof Number n) {
                d = n.doubleValue();
            } else if (raw instanceof String s) {
                try {
                    d = Double.parseDouble(s.strip());
                } catch (NumberFormatException ex) {
                    throw new InvalidConfigException(field, field + " must be a number, got '"
                            + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "'");
                }
            } else {
                throw new InvalidConfigException(field, field + " must be a number");
            }
            if (!Double.isFinite(d)) {
                throw new InvalidConfigException(field, field + " must be a finite number");
            }
            return d;
        }

        @Override
        public Object toJson(Double value) {
            return value;
        }

        @Override
        public String describe(Double value) {
            return FieldRange.format(value);
        }

        @Override
        public String allowed(FieldRange range) {
            return range.interval();
        }
    }

    /**
     * One of a fixed list of options, each known by its id (an enum's contract name). With {@code none} not
     * null the value may also be absent (null), which means {@code none}: "the model's own" sampler.
     */
    record Choice<T>(List<T> options, Function<T, String> id, String none) implements FieldType<T> {
        public static <E> Choice<E> of(E[] options, Function<E, String> id) {
            return new Choice<>(List.of(options), id, null);
        }

        public static <E> Choice<E> orNone(E[] options, Function<E, String> id, String none) {
            return new Choice<>(List.of(options), id, none);
        }

        public List<String> ids() {
            return options.stream().map(id).toList();
        }

        @Override
        public T parse(String field, Object raw) {
            if (raw instanceof String s) {
                for (T option : options) {
                    if (id.apply(option).equals(s.strip())) {
                        return option;
                    }
                }
            }
            throw new InvalidConfigException(field, field + " must be one of " + String.join(", ", ids()));
        }

        @Override
        public Object toJson(T value) {
            return id.apply(value);
        }

        @Override
        public String describe(T value) {
            return value == null ? none : "`" + id.apply(value) + "`";
        }

        @Override
        public String allowed(FieldRange range) {
            return ids().stream().map(i -> "`" + i + "`").collect(Collectors.joining(", "));
        }
    }

    /**
     * The user's points, a flat [x, y, x, y, ...] array: in JSON {@code [[x, y], ...]} or {@code [x, y, ...]},
     * on the command line "x,y;x,y" or CSV lines.
     */
    record Points() implements FieldType<float[]> {
        public static final String SHAPE = "points must be a list of [x, y] number pairs";
        public static final String TOO_MANY = "points: at most " + Dataset.MAX_POINTS + " pairs";

        /** Also takes the flat array itself, as a request body's streaming parser hands it over. */
        @Override
        public float[] parse(String field, Object raw) {
            if (raw instanceof float[] xy) {
                return xy;
            }
            if (raw instanceof String s) {
                return PointsCsv.parse(s);
            }
            if (!(raw instanceof List<?> list)) {
                throw new InvalidConfigException(field, SHAPE);
            }
            if (list.size() > 2 * Dataset.MAX_POINTS) {
                throw new InvalidConfigException(field, TOO_MANY);
            }
            float[] xy = new float[list.isEmpty() || list.get(0) instanceof Number ? list.size() : 2 * list.size()];
            int k = 0;
            for (Object item : list) {
                if (item instanceof Number n && k < xy.length) {
                    xy[k++] = (float) n.doubleValue();
                } else if (item instanceof List<?> pair && pair.size() == 2 && k + 1 < xy.length
                        && pair.get(0) instanceof Number a && pair.get(1) instanceof Number b) {
                    xy[k++] = (float) a.doubleValue();
                    xy[k++] = (float) b.doubleValue();
                } else {
                    throw new InvalidConfigException(field, SHAPE);
                }
            }
            if (k != xy.length) {
                throw new InvalidConfigException(field, SHAPE);
            }
            return xy;
        }

        @Override
        public Object toJson(float[] xy) {
            List<List<Float>> pairs = new ArrayList<>(xy.length / 2);
            for (int i = 0; i + 1 < xy.length; i += 2) {
                pairs.add(List.of(xy[i], xy[i + 1]));
            }
            return pairs;
        }

        @Override
        public String allowed(FieldRange range) {
            return Dataset.MIN_POINTS + " to " + Dataset.MAX_POINTS + " (x, y) pairs";
        }
    }
}
