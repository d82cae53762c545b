package dev.tether.app;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage error as one line and a hint, not the whole help: a mistyped command or option gets
 * the names closest to it by edit distance, with picocli's own suggestions (which rank
 * {@code strat} nearer to {@code stop} than to {@code start}, and miss {@code stop} for
 * {@code stpo}); anything else points at the command's {@code --help}.
 */
final class UsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = ex.getMessage().startsWith("Error: ") ? ex.getMessage().substring(7) : ex.getMessage();
        err.println(cmd.getColorScheme().errorText("tether: " + message));
        List<String> suggestions = ex instanceof UnmatchedArgumentException u ? suggestions(u) : List.of();
        String name = cmd.getCommandSpec().qualifiedName();
        if (!suggestions.isEmpty()) {
            boolean options = suggestions.getFirst().startsWith("-");
            err.println("Did you mean: " + String.join(" or ", suggestions.stream().map(s -> options ? s : name + " " + s).toList()) + "?");
        } else {
            err.println("hint: see `" + name + " --help`");
        }
        err.flush();
        return cmd.getExitCodeExceptionMapper() != null ? cmd.getExitCodeExceptionMapper().getExitCode(ex)
                : cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** picocli's suggestions and every name within two edits, closest first, at most three. */
    private static List<String> suggestions(UnmatchedArgumentException u) {
        if (u.getUnmatched().isEmpty()) {
            return List.of();
        }
        String typed = u.getUnmatched().getFirst();
        var spec = u.getCommandLine().getCommandSpec();
        Set<String> candidates = new LinkedHashSet<>(u.getSuggestions());
        if (u.isUnknownOption()) {
            typed = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
            spec.options().stream().filter(o -> !o.hidden()).flatMap(o -> Arrays.stream(o.names())).forEach(candidates::add);
        } else {
            candidates.addAll(spec.subcommands().keySet());
        }
        String word = typed;
        List<String> near = candidates.stream()
                .filter(c -> u.getSuggestions().contains(c) || distance(word, c) <= 2).toList();
        return closestFirst(word, near).stream().limit(3).toList();
    }

    static List<String> closestFirst(String typed, List<String> candidates) {
        return candidates.stream().sorted(Comparator.comparingInt((String c) -> distance(typed, c))).toList();
    }

    /** Edits (insert, delete, substitute, swap two neighbours) that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
