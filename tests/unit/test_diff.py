"""The diff parser on literal diffs, as git prints them with the gate's pinned flags."""

from __future__ import annotations

import pytest

from contribution_gate.diff import parse_diff, unquote_path
from contribution_gate.model import AddedLine, AddedLines

Z = "0" * 40
B = "b" * 40


def _lines(text: str) -> list[bytes]:
    return [line.encode("utf-8") + b"\n" for line in text.split("\n")]


def test_new_file_with_space_in_name_and_trailing_tab() -> None:
    diff = f"""diff --git a/x y.txt b/x y.txt
new file mode 100644
index {Z}..{B}
--- /dev/null
+++ b/x y.txt\t
@@ -0,0 +1,2 @@
+first
+second"""
    (change,) = parse_diff(_lines(diff), commit="c" * 40)
    assert (change.path, change.status, change.blob, change.commit) == ("x y.txt", "A", B, "c" * 40)
    assert change.added == (AddedLine(1, "first"), AddedLine(2, "second"))


def test_edit_keeps_line_numbers_of_the_new_file_across_hunks() -> None:
    diff = f"""diff --git a/m.py b/m.py
index {"a" * 40}..{B} 100644
--- a/m.py
+++ b/m.py
@@ -3 +3 @@
-old
+new three
@@ -10,0 +11,2 @@
+eleven
+twelve"""
    (change,) = parse_diff(_lines(diff))
    assert change.status == "M"
    assert [(a.lineno, a.text) for a in change.added] == [(3, "new three"), (11, "eleven"), (12, "twelve")]


def test_rename_with_edit_and_binary_and_deletion() -> None:
    diff = f"""diff --git a/old name.py b/new name.py
similarity index 90%
rename from old name.py
rename to new name.py
index {"a" * 40}..{B} 100644
--- a/old name.py\t
+++ b/new name.py\t
@@ -2 +2 @@
-x = 1
+x = 2
diff --git a/logo.png b/logo.png
new file mode 100644
index {Z}..{B}
Binary files /dev/null and b/logo.png differ
diff --git a/gone.txt b/gone.txt
deleted file mode 100644
index {"a" * 40}..{Z}
--- a/gone.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye"""
    renamed, binary, deleted = parse_diff(_lines(diff))
    assert (renamed.path, renamed.old_path, renamed.status) == ("new name.py", "old name.py", "R")
    assert renamed.added == (AddedLine(2, "x = 2"),)
    assert (binary.path, binary.is_binary, binary.added) == ("logo.png", True, ())
    assert (deleted.path, deleted.status, deleted.blob, deleted.added) == ("gone.txt", "D", None, ())


def test_crlf_and_non_utf8_lines() -> None:
    raw = [
        b"diff --git a/w.txt b/w.txt\n",
        b"new file mode 100644\n",
        b"--- /dev/null\n",
        b"+++ b/w.txt\n",
        b"@@ -0,0 +1,2 @@\n",
        b"+windows\r\n",
        b"+caf\xe9\n",
    ]
    (change,) = parse_diff(raw)
    assert [a.text for a in change.added] == ["windows", "caf\ufffd"]


def test_quoted_paths_and_submodule() -> None:
    diff = f"""diff --git "a/tab\\there.txt" "b/tab\\there.txt"
new file mode 100644
index {Z}..{B}
--- /dev/null
+++ "b/tab\\there.txt"
@@ -0,0 +1 @@
+x
diff --git a/vendor/lib b/vendor/lib
new file mode 160000
index {Z}..{B}
--- /dev/null
+++ b/vendor/lib
@@ -0,0 +1 @@
+Subproject commit {B}"""
    quoted, submodule = parse_diff(_lines(diff))
    assert quoted.path == "tab\there.txt"
    assert submodule.is_submodule and submodule.path == "vendor/lib"


def test_unquote_octal_utf8() -> None:
    assert unquote_path('"\\303\\251t\\303\\251.txt"') == "été.txt"
    assert unquote_path("plain.txt") == "plain.txt"


def test_added_line_that_looks_like_a_header_is_content() -> None:
    diff = """diff --git a/n.md b/n.md
new file mode 100644
--- /dev/null
+++ b/n.md
@@ -0,0 +1,2 @@
++++ b/not-a-header
+-- dashes"""
    (change,) = parse_diff(_lines(diff))
    assert change.path == "n.md"
    assert [a.text for a in change.added] == ["+++ b/not-a-header", "-- dashes"]


def test_any_chunking_of_the_stream_parses_the_same() -> None:
    diff = f"""diff --git a/a.txt b/a.txt
new file mode 100644
index {Z}..{B}
--- /dev/null
+++ b/a.txt
@@ -0,0 +1,2 @@
+one
+two
diff --git a/b.txt b/b.txt
index {"a" * 40}..{B} 100644
--- a/b.txt
+++ b/b.txt
@@ -5,0 +6 @@
+six
""".encode()
    by_line = list(parse_diff(diff.splitlines(keepends=True)))
    by_byte = list(parse_diff(diff[i : i + 1] for i in range(len(diff))))
    whole = list(parse_diff([diff]))
    assert by_line == by_byte == whole
    assert [(c.path, [(a.lineno, a.text) for a in c.added]) for c in whole] == [
        ("a.txt", [(1, "one"), (2, "two")]),
        ("b.txt", [(6, "six")]),
    ]


def test_added_lines_stay_text_until_read_and_match_the_line_by_line_reading() -> None:
    """The whole-section reading (-U0) and the hunk-by-hunk one (context lines) give the same
    lines; `text` and `lineno` answer without making AddedLine objects."""
    header = f"diff --git a/w.txt b/w.txt\nindex {'a' * 40}..{B} 100644\n--- a/w.txt\n+++ b/w.txt\n"
    added = "-old\r\n+new two\r\n+new three\r\n"
    last = "@@ -9 +10 @@\n-x\n\\ No newline at end of file\n+ten\r\n\\ No newline at end of file"
    u0 = header + "@@ -2 +2,2 @@ def f():\n" + added + last
    with_context = header + "@@ -1,2 +1,3 @@\n one\r\n" + added + last
    (fast,) = parse_diff(_lines(u0))
    (slow,) = parse_diff(_lines(with_context))
    expected = (AddedLine(2, "new two"), AddedLine(3, "new three"), AddedLine(10, "ten"))
    assert fast.added.text == "new two\nnew three\nten"
    assert [fast.added.lineno(i) for i in range(3)] == [2, 3, 10]
    assert fast.added._lines is None  # nothing above made the objects
    assert fast.added == expected == slow.added
    assert len(fast.added) == 3 and fast.added.numbers() == [2, 3, 10]


def test_a_deleted_file_adds_nothing() -> None:
    diff = f"""diff --git a/gone.py b/gone.py
deleted file mode 100644
index {B}..{Z}
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b"""
    (change,) = parse_diff(_lines(diff))
    assert (change.status, len(change.added), change.added.text, bool(change.added)) == ("D", 0, "", False)


def test_a_new_file_s_one_hunk_reads_as_the_line_by_line_reading() -> None:
    """A new file (one hunk of added lines only, as a whole tree is read) is read with one replace;
    CRLF ends, an empty line, a line that starts with `+` and one without a newline at the end read
    as the general reading has them."""
    header = f"diff --git a/n.txt b/n.txt\nnew file mode 100644\nindex {Z}..{B}\n--- /dev/null\n+++ b/n.txt\n"
    body = "+first\r\n+\r\n++plus\r\n+last"
    (whole,) = parse_diff(_lines(header + "@@ -0,0 +1,4 @@\n" + body + "\n"))
    (no_newline,) = parse_diff(_lines(header + "@@ -0,0 +1,4 @@\n" + body + "\n\\ No newline at end of file\n"))
    expected = (AddedLine(1, "first"), AddedLine(2, ""), AddedLine(3, "+plus"), AddedLine(4, "last"))
    assert whole.added == expected == no_newline.added


def test_added_lines_read_by_index_pair_as_the_whole_reading_does() -> None:
    """Lines asked for one by one (a check reading the lines that hold a URL) are the lines the
    whole reading makes, by any index, even where the text and the numbers disagree in count."""
    for text, numbers in (("a\nb\nc", [[1, 2], [7]]), ("a\nb\nc", [[1, 2, 3, 4]]), ("a\nb\nc\nd", [[5, 6]])):
        one_by_one, whole = AddedLines(text, numbers), AddedLines(text, numbers).lines
        for index in range(-len(whole), len(whole)):
            assert one_by_one[index] == whole[index]
        for outside in (len(whole), -len(whole) - 1):
            with pytest.raises(IndexError):
                one_by_one[outside]
        assert one_by_one._lines is None
