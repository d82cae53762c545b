package dev.tether.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupsTreeTest {
    @TempDir
    Path tmp;

    @Test
    void listsDirectoriesOnlyEachAfterItsDescendants() throws Exception {
        Path top = tmp.resolve("tether-x");
        Files.createDirectories(top.resolve("a/deep"));
        Files.createDirectories(top.resolve("b"));
        Files.writeString(top.resolve("cgroup.procs"), "");
        Files.writeString(top.resolve("a/cgroup.procs"), "");

        List<Path> tree = Cgroups.treeDeepestFirst(top);

        assertThat(tree).containsExactlyInAnyOrder(top, top.resolve("a"), top.resolve("a/deep"), top.resolve("b"));
        assertThat(tree.indexOf(top.resolve("a/deep"))).isLessThan(tree.indexOf(top.resolve("a")));
        assertThat(tree.getLast()).isEqualTo(top);
    }

    @Test
    void aMissingTopIsNoSuchFile() {
        assertThatThrownBy(() -> Cgroups.treeDeepestFirst(tmp.resolve("gone"))).isInstanceOf(NoSuchFileException.class);
    }
}
