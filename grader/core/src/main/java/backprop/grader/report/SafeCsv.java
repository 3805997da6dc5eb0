package backprop.grader.report;

import java.io.Flushable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The one way the grader writes a CSV: RFC 4180 through Commons CSV, each column declared text or number, so
 * that no cell can run as a formula when a spreadsheet opens the file (CSV or formula injection).
 *
 * <p>A text cell (an id, a name, a message, compiler output, a header) that a spreadsheet would read as a
 * formula gets a single quote in front, as OWASP advises: one that starts with {@code =}, {@code +}, {@code -},
 * {@code @}, a tab, a carriage return, a line feed or a NUL, or with their full-width forms, or with any of these
 * after leading white space. A text cell that already starts with a quote gets one more, so the rule can be
 * undone exactly ({@link #plain}). Quoting of commas, quotes and line ends is Commons CSV's.
 *
 * <p>A number cell holds a value the grader formatted ({@code 12}, {@code -0.5}, {@code 1.0E-7}); it is written
 * as it is, so a spreadsheet reads a number. A value that is not a finite number ({@code NaN}, {@code Infinity},
 * {@code -Infinity}) is text and follows the text rule. Anything else in a number column is a bug in the writer
 * and throws.
 */
public final class SafeCsv implements Flushable {
    /** What the cells of a column hold. */
    public enum Kind {
        /** Anything: neutralised where a spreadsheet would run it. */
        TEXT,
        /** Numbers the grader formats; empty where there is none. */
        NUMBER
    }

    /**
     * A column of the file.
     *
     * @param name the header cell
     * @param kind what its cells hold
     */
    public record Column(String name, Kind kind) {
        /** Validates. */
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }

        /** A text column. */
        public static Column text(String name) {
            return new Column(name, Kind.TEXT);
        }

        /** A number column. */
        public static Column number(String name) {
            return new Column(name, Kind.NUMBER);
        }
    }

    /** The dialect: comma separated, quoted where needed, CRLF line ends. */
    public static final CSVFormat FORMAT = CSVFormat.RFC4180;

    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    /** What starts a formula in Excel, LibreOffice or Google Sheets, and their full-width forms. */
    private static final String TRIGGERS = "=+-@\t\r\n\0\uFF1D\uFF0B\uFF0D\uFF20";

    private final CSVPrinter printer;
    private final List<Column> columns;

    private SafeCsv(CSVPrinter printer, List<Column> columns) {
        this.printer = printer;
        this.columns = columns;
    }

    /** Starts a CSV on {@code out}: the header row, the columns' names as text cells. */
    public static SafeCsv open(Appendable out, List<Column> columns) throws IOException {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a CSV needs a column");
        }
        SafeCsv csv = new SafeCsv(new CSVPrinter(out, FORMAT), List.copyOf(columns));
        csv.printer.printRecord(columns.stream().map(c -> text(c.name())).toList());
        return csv;
    }

    /** The columns, in order. */
    public List<Column> columns() {
        return columns;
    }

    /** Prints one row, a cell per column; see {@link #row(List)}. */
    public void row(Object... cells) throws IOException {
        row(Arrays.asList(cells));
    }

    /**
     * Prints one row, a cell per column in order. A text cell is any object's {@code toString()}, neutralised;
     * a number cell is a {@link Number} or a string the caller formatted as a number; {@code null} is an empty
     * cell in either.
     *
     * @throws IllegalArgumentException when the row has the wrong number of cells or a number column holds
     *     something else
     */
    public void row(List<?> cells) throws IOException {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells where the file has "
                    + columns.size() + " columns");
        }
        List<String> out = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Column c = columns.get(i);
            Object v = cells.get(i);
            out.add(v == null ? "" : c.kind() == Kind.TEXT ? text(v.toString()) : number(c, v));
        }
        printer.printRecord(out);
    }

    @Override
    public void flush() throws IOException {
        printer.flush();
    }

    /** A text cell as it must be written: a quote in front where a spreadsheet would otherwise see a formula. */
    public static String text(String s) {
        return needsQuote(s) ? "'" + s : s;
    }

    /** Undoes {@link #text}: the text of a cell read back from a file written here (or edited by a person). */
    public static String plain(String cell) {
        return cell.startsWith("'") ? cell.substring(1) : cell;
    }

    /** Whether a text cell, as it stands, would not be run as a formula by a spreadsheet. */
    public static boolean inert(String cell) {
        return cell.startsWith("'") || !needsQuote(cell);
    }

    /** A number the way number columns write it: integers without decimals, others in the shortest exact form. */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return text(Double.toString(v));
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return Double.toString(v);
    }

    private static String number(Column c, Object v) {
        if (v instanceof Double || v instanceof Float) {
            return number(((Number) v).doubleValue());
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return v.toString();
        }
        String s = v.toString();
        if (s.isEmpty() || NUMBER.matcher(s).matches()) {
            return s;
        }
        throw new IllegalArgumentException("column '" + c.name() + "' holds numbers, not '" + s + "'");
    }

    private static boolean needsQuote(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.charAt(0) == '\'' || TRIGGERS.indexOf(s.charAt(0)) >= 0) {
            return true;
        }
        int i = 0;
        while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || Character.isSpaceChar(s.charAt(i)))) {
            i++;
        }
        return i > 0 && i < s.length() && TRIGGERS.indexOf(s.charAt(i)) >= 0;
    }
}
