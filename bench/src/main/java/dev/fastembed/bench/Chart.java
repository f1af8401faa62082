package dev.fastembed.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Three horizontal bar panels (throughput, start-up, memory), one bar per contender, drawn with Java2D. */
final class Chart {

    enum Kind { OURS, FLOOR, OTHER }

    record Row(String label, Kind kind, double textsPerSecond, double firstVectorSeconds, double peakRssMb) {
    }

    private static final int WIDTH = 1500;
    private static final int ROW_HEIGHT = 30;
    private static final int LABEL_WIDTH = 230;
    private static final int PANEL_GAP = 30;
    private static final Color OURS = new Color(0x1b7f79);
    private static final Color FLOOR = new Color(0x8a8f98);
    private static final Color OTHER = new Color(0xd9822b);

    private Chart() {
    }

    static void draw(List<Row> rows, String title, Path file) throws IOException {
        int panelWidth = (WIDTH - LABEL_WIDTH - 40 - 2 * PANEL_GAP) / 3;
        int top = 80;
        int height = top + rows.size() * ROW_HEIGHT + 70;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, 20, 30);

            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            for (int i = 0; i < rows.size(); i++) {
                g.setColor(Color.BLACK);
                g.drawString(rows.get(i).label(), 20, top + i * ROW_HEIGHT + 20);
            }
            int x = LABEL_WIDTH;
            panel(g, rows, x, top, panelWidth, "texts/s (higher is better)", Row::textsPerSecond, "%.1f");
            x += panelWidth + PANEL_GAP;
            panel(g, rows, x, top, panelWidth, "JVM start → first vector, s (lower is better)", Row::firstVectorSeconds, "%.2f s");
            x += panelWidth + PANEL_GAP;
            panel(g, rows, x, top, panelWidth, "peak RSS, MB (lower is better)", Row::peakRssMb, "%,.0f MB");

            int legendY = top + rows.size() * ROW_HEIGHT + 40;
            legend(g, 20, legendY, OURS, "this project");
            legend(g, 180, legendY, FLOOR, "raw ONNX Runtime floor");
            legend(g, 400, legendY, OTHER, "other Java embedders");
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, List<Row> rows, int x, int top, int width, String heading,
                              ToDoubleFunction<Row> value, String format) {
        double max = rows.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).max().orElse(1);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(heading, x, top - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();
        int barSpace = width - 90;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double v = value.applyAsDouble(row);
            int y = top + i * ROW_HEIGHT + 5;
            if (Double.isNaN(v)) {
                g.setColor(Color.GRAY);
                g.drawString("—", x + 4, y + 15);
                continue;
            }
            int bar = (int) Math.max(1, Math.round(v / max * barSpace));
            g.setColor(switch (row.kind()) {
                case OURS -> OURS;
                case FLOOR -> FLOOR;
                case OTHER -> OTHER;
            });
            g.fillRect(x, y, bar, ROW_HEIGHT - 10);
            g.setColor(Color.BLACK);
            String text = String.format(Locale.ROOT, format, v);
            g.drawString(text, x + bar + 6, y + (ROW_HEIGHT - 10 + metrics.getAscent()) / 2 - 2);
        }
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawLine(x, top, x, top + rows.size() * ROW_HEIGHT);
    }

    private static void legend(Graphics2D g, int x, int y, Color color, String text) {
        g.setColor(color);
        g.fillRect(x, y - 12, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 20, y);
    }
}
