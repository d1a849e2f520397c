package diff

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// patch joins lines with '\n' and ends the last one, as git does.
func patch(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func ctx(o, n int, t string) Line { return Line{Kind: LineContext, Text: t, OldNo: o, NewNo: n} }
func add(n int, t string) Line    { return Line{Kind: LineAdded, Text: t, NewNo: n} }
func del(o int, t string) Line    { return Line{Kind: LineDeleted, Text: t, OldNo: o} }
func noEOL() Line                 { return Line{Kind: LineNoNewline, Text: "No newline at end of file"} }

var parseCases = []struct {
	name  string
	patch string
	want  []File
}{
	{
		name: "modified with two hunks",
		patch: patch(
			"diff --git a/main.go b/main.go",
			"index 83db48f..bf269f4 100644",
			"--- a/main.go",
			"+++ b/main.go",
			"@@ -1,3 +1,3 @@ package main",
			" a",
			"-b",
			"+B",
			" c",
			"@@ -10,2 +10,3 @@ func main() {",
			" x",
			"+y",
			" z",
		),
		want: []File{{
			OldPath: "main.go", NewPath: "main.go", Status: StatusModified,
			Mode: "100644", OldHash: "83db48f", NewHash: "bf269f4",
			Hunks: []Hunk{
				{OldStart: 1, OldLines: 3, NewStart: 1, NewLines: 3, Section: "package main",
					Lines: []Line{ctx(1, 1, "a"), del(2, "b"), add(2, "B"), ctx(3, 3, "c")}},
				{OldStart: 10, OldLines: 2, NewStart: 10, NewLines: 3, Section: "func main() {",
					Lines: []Line{ctx(10, 10, "x"), add(11, "y"), ctx(11, 12, "z")}},
			},
		}},
	},
	{
		name: "new file",
		patch: patch(
			"diff --git a/new.txt b/new.txt",
			"new file mode 100755",
			"index 0000000..3b18e51",
			"--- /dev/null",
			"+++ b/new.txt",
			"@@ -0,0 +1,2 @@",
			"+hello",
			"+world",
		),
		want: []File{{
			NewPath: "new.txt", Status: StatusAdded, NewMode: "100755",
			OldHash: "0000000", NewHash: "3b18e51",
			Hunks: []Hunk{{NewStart: 1, NewLines: 2, Lines: []Line{add(1, "hello"), add(2, "world")}}},
		}},
	},
	{
		name: "deleted file",
		patch: patch(
			"diff --git a/old.txt b/old.txt",
			"deleted file mode 100644",
			"index 3b18e51..0000000",
			"--- a/old.txt",
			"+++ /dev/null",
			"@@ -1 +0,0 @@",
			"-bye",
		),
		want: []File{{
			OldPath: "old.txt", Status: StatusDeleted, OldMode: "100644",
			OldHash: "3b18e51", NewHash: "0000000",
			Hunks: []Hunk{{OldStart: 1, OldLines: 1, Lines: []Line{del(1, "bye")}}},
		}},
	},
	{
		name: "empty new file has no hunks",
		patch: patch(
			"diff --git a/empty b/empty",
			"new file mode 100644",
			"index 0000000..e69de29",
		),
		want: []File{{NewPath: "empty", Status: StatusAdded, NewMode: "100644", OldHash: "0000000", NewHash: "e69de29"}},
	},
	{
		name: "mode only, path with spaces",
		patch: patch(
			"diff --git a/run me.sh b/run me.sh",
			"old mode 100644",
			"new mode 100755",
			"diff --git a/b b/b",
			"old mode 100755",
			"new mode 100644",
		),
		want: []File{
			{OldPath: "run me.sh", NewPath: "run me.sh", Status: StatusModified, OldMode: "100644", NewMode: "100755"},
			{OldPath: "b", NewPath: "b", Status: StatusModified, OldMode: "100755", NewMode: "100644"},
		},
	},
	{
		name: "pure rename with spaces",
		patch: patch(
			"diff --git a/old name b/x b/new name b/x",
			"similarity index 100%",
			"rename from old name b/x",
			"rename to new name b/x",
		),
		want: []File{{OldPath: "old name b/x", NewPath: "new name b/x", Status: StatusRenamed, Similarity: 100}},
	},
	{
		name: "rename with edits",
		patch: patch(
			"diff --git a/src/a.go b/src/b.go",
			"similarity index 87%",
			"rename from src/a.go",
			"rename to src/b.go",
			"index 1111111..2222222 100644",
			"--- a/src/a.go",
			"+++ b/src/b.go",
			"@@ -2,2 +2,2 @@",
			" keep",
			"-old",
			"+new",
		),
		want: []File{{
			OldPath: "src/a.go", NewPath: "src/b.go", Status: StatusRenamed, Similarity: 87,
			Mode: "100644", OldHash: "1111111", NewHash: "2222222",
			Hunks: []Hunk{{OldStart: 2, OldLines: 2, NewStart: 2, NewLines: 2,
				Lines: []Line{ctx(2, 2, "keep"), del(3, "old"), add(3, "new")}}},
		}},
	},
	{
		name: "copy",
		patch: patch(
			"diff --git a/a.txt b/c.txt",
			"similarity index 95%",
			"copy from a.txt",
			"copy to c.txt",
			"index 1111111..3333333 100644",
			"--- a/a.txt",
			"+++ b/c.txt",
			"@@ -1 +1 @@",
			"-x",
			"+y",
		),
		want: []File{{
			OldPath: "a.txt", NewPath: "c.txt", Status: StatusCopied, Similarity: 95,
			Mode: "100644", OldHash: "1111111", NewHash: "3333333",
			Hunks: []Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
				Lines: []Line{del(1, "x"), add(1, "y")}}},
		}},
	},
	{
		name: "dissimilarity index of a broken pair",
		patch: patch(
			"diff --git a/f b/f",
			"dissimilarity index 100%",
			"index 1111111..2222222 100644",
			"--- a/f",
			"+++ b/f",
			"@@ -1 +1 @@",
			"-a",
			"+b",
		),
		want: []File{{
			OldPath: "f", NewPath: "f", Status: StatusModified, Dissimilarity: 100,
			Mode: "100644", OldHash: "1111111", NewHash: "2222222",
			Hunks: []Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
				Lines: []Line{del(1, "a"), add(1, "b")}}},
		}},
	},
	{
		name: "binary files differ, all three forms",
		patch: patch(
			"diff --git a/img.png b/img.png",
			"index 1111111..2222222 100644",
			"Binary files a/img.png and b/img.png differ",
			"diff --git a/new.bin b/new.bin",
			"new file mode 100644",
			"index 0000000..2222222",
			"Binary files /dev/null and b/new.bin differ",
			"diff --git a/gone.bin b/gone.bin",
			"deleted file mode 100644",
			"index 2222222..0000000",
			"Binary files a/gone.bin and /dev/null differ",
		),
		want: []File{
			{OldPath: "img.png", NewPath: "img.png", Status: StatusModified, Binary: true,
				Mode: "100644", OldHash: "1111111", NewHash: "2222222"},
			{NewPath: "new.bin", Status: StatusAdded, Binary: true, NewMode: "100644",
				OldHash: "0000000", NewHash: "2222222"},
			{OldPath: "gone.bin", Status: StatusDeleted, Binary: true, OldMode: "100644",
				OldHash: "2222222", NewHash: "0000000"},
		},
	},
	{
		name: "GIT binary patch is skipped",
		patch: patch(
			"diff --git a/blob b/blob",
			"index 1111111..2222222 100644",
			"GIT binary patch",
			"literal 12",
			"TcmZ?wbhEHbRA6vo;7|Yn5C8%K",
			"",
			"literal 4",
			"LcmZ?wbhEHc+m!@q",
			"",
			"diff --git a/t b/t",
			"index 1111111..2222222 100644",
			"--- a/t",
			"+++ b/t",
			"@@ -1 +1 @@",
			"-1",
			"+2",
		),
		want: []File{
			{OldPath: "blob", NewPath: "blob", Status: StatusModified, Binary: true,
				Mode: "100644", OldHash: "1111111", NewHash: "2222222"},
			{OldPath: "t", NewPath: "t", Status: StatusModified, Mode: "100644", OldHash: "1111111", NewHash: "2222222",
				Hunks: []Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
					Lines: []Line{del(1, "1"), add(1, "2")}}}},
		},
	},
	{
		name: "quoted paths with escapes",
		patch: patch(
			`diff --git "a/tab\there \"q\" \\ caf\303\251" "b/tab\there \"q\" \\ caf\303\251"`,
			"new file mode 100644",
			"index 0000000..1111111",
			"--- /dev/null",
			`+++ "b/tab\there \"q\" \\ caf\303\251"`,
			"@@ -0,0 +1 @@",
			"+x",
		),
		want: []File{{
			NewPath: "tab\there \"q\" \\ café", Status: StatusAdded, NewMode: "100644",
			OldHash: "0000000", NewHash: "1111111",
			Hunks: []Hunk{{NewStart: 1, NewLines: 1, Lines: []Line{add(1, "x")}}},
		}},
	},
	{
		name: "quoted rename, one side quoted",
		patch: patch(
			`diff --git a/plain "b/nl\nname"`,
			"similarity index 100%",
			"rename from plain",
			`rename to "nl\nname"`,
		),
		want: []File{{OldPath: "plain", NewPath: "nl\nname", Status: StatusRenamed, Similarity: 100}},
	},
	{
		name: "mode-only change of a quoted path",
		patch: patch(
			`diff --git "a/\001x" "b/\001x"`,
			"old mode 100644",
			"new mode 100755",
		),
		want: []File{{OldPath: "\x01x", NewPath: "\x01x", Status: StatusModified, OldMode: "100644", NewMode: "100755"}},
	},
	{
		name: "spaces in path with the tab git appends on ---/+++",
		patch: patch(
			"diff --git a/my dir/a b.txt b/my dir/a b.txt",
			"index 1111111..2222222 100644",
			"--- a/my dir/a b.txt\t",
			"+++ b/my dir/a b.txt\t",
			"@@ -1 +1 @@",
			"-a",
			"+b",
		),
		want: []File{{
			OldPath: "my dir/a b.txt", NewPath: "my dir/a b.txt", Status: StatusModified,
			Mode: "100644", OldHash: "1111111", NewHash: "2222222",
			Hunks: []Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
				Lines: []Line{del(1, "a"), add(1, "b")}}},
		}},
	},
	{
		name: "content that looks like headers is counted as content",
		patch: patch(
			"diff --git a/x b/x",
			"index 1111111..2222222 100644",
			"--- a/x",
			"+++ b/x",
			"@@ -1,4 +1,5 @@",
			"--- foo",
			"+++ bar",
			"+diff --git a/y b/y",
			"-@@ -1 +1 @@",
			"+@@ -9 +9 @@",
			" diff --git a/z b/z",
			"-+++ b/w",
			"+index 0..1",
			"diff --git a/y b/y",
			"deleted file mode 100644",
			"index 1111111..0000000",
			"--- a/y",
			"+++ /dev/null",
			"@@ -1,2 +0,0 @@",
			"--- a/y",
			"-+++ /dev/null",
		),
		want: []File{
			{OldPath: "x", NewPath: "x", Status: StatusModified, Mode: "100644", OldHash: "1111111", NewHash: "2222222",
				Hunks: []Hunk{{OldStart: 1, OldLines: 4, NewStart: 1, NewLines: 5, Lines: []Line{
					del(1, "-- foo"), add(1, "++ bar"), add(2, "diff --git a/y b/y"), del(2, "@@ -1 +1 @@"),
					add(3, "@@ -9 +9 @@"), ctx(3, 4, "diff --git a/z b/z"), del(4, "+++ b/w"), add(5, "index 0..1"),
				}}}},
			{OldPath: "y", Status: StatusDeleted, OldMode: "100644", OldHash: "1111111", NewHash: "0000000",
				Hunks: []Hunk{{OldStart: 1, OldLines: 2, Lines: []Line{del(1, "-- a/y"), del(2, "+++ /dev/null")}}}},
		},
	},
	{
		name: "no newline at end of file on both sides",
		patch: patch(
			"diff --git a/n b/n",
			"index 1111111..2222222 100644",
			"--- a/n",
			"+++ b/n",
			"@@ -1,2 +1,2 @@",
			" a",
			"-b",
			`\ No newline at end of file`,
			"+c",
			`\ No newline at end of file`,
		),
		want: []File{{
			OldPath: "n", NewPath: "n", Status: StatusModified, Mode: "100644", OldHash: "1111111", NewHash: "2222222",
			Hunks: []Hunk{{OldStart: 1, OldLines: 2, NewStart: 1, NewLines: 2,
				Lines: []Line{ctx(1, 1, "a"), del(2, "b"), noEOL(), add(2, "c"), noEOL()}}},
		}},
	},
	{
		name: "CRLF content keeps its carriage returns",
		patch: patch(
			"diff --git a/w.txt b/w.txt",
			"index 1111111..2222222 100644",
			"--- a/w.txt",
			"+++ b/w.txt",
			"@@ -1,2 +1,2 @@ head\r",
			" one\r",
			"-two\r",
			"+\x1b[31mtwo\r",
		),
		want: []File{{
			OldPath: "w.txt", NewPath: "w.txt", Status: StatusModified, Mode: "100644", OldHash: "1111111", NewHash: "2222222",
			Hunks: []Hunk{{OldStart: 1, OldLines: 2, NewStart: 1, NewLines: 2, Section: "head",
				Lines: []Line{ctx(1, 1, "one\r"), del(2, "two\r"), add(2, "\x1b[31mtwo\r")}}},
		}},
	},
	{
		name: "empty context line without its space",
		patch: patch(
			"diff --git a/e b/e",
			"--- a/e",
			"+++ b/e",
			"@@ -1,3 +1,3 @@",
			"",
			"-x",
			"+y",
			"",
			"",
			"trailing junk after the hunk is ignored",
		),
		want: []File{{
			OldPath: "e", NewPath: "e", Status: StatusModified,
			Hunks: []Hunk{{OldStart: 1, OldLines: 3, NewStart: 1, NewLines: 3,
				Lines: []Line{ctx(1, 1, ""), del(2, "x"), add(2, "y"), ctx(3, 3, "")}}},
		}},
	},
	{
		name: "leading non-diff lines are skipped",
		patch: patch(
			"0123456789abcdef0123456789abcdef01234567",
			"commit message mentioning --- a/x and @@ -1 +1 @@",
			"    diff --git a/indented b/indented",
			"@@ -1 +1 @@",
			"-stray",
			"diff --git a/f b/f",
			"--- a/f",
			"+++ b/f",
			"@@ -1 +1 @@",
			"-a",
			"+b",
			"-- ",
			"2.39.5",
		),
		want: []File{{
			OldPath: "f", NewPath: "f", Status: StatusModified,
			Hunks: []Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
				Lines: []Line{del(1, "a"), add(1, "b")}}},
		}},
	},
	{
		name:  "CRLF patch headers",
		patch: "diff --git a/f b/f\r\nold mode 100644\r\nnew mode 100755\r\n",
		want:  []File{{OldPath: "f", NewPath: "f", Status: StatusModified, OldMode: "100644", NewMode: "100755"}},
	},
	{
		name:  "no prefix does not crash",
		patch: patch("diff --git x y", "--- x", "+++ y", "@@ -1 +1 @@", "-a", "+b"),
		want: []File{{OldPath: "x", NewPath: "y", Status: StatusModified,
			Hunks: []Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
				Lines: []Line{del(1, "a"), add(1, "b")}}}}},
	},
	{
		name:  "empty input",
		patch: "",
		want:  nil,
	},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.patch))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse mismatch\n got: %#v\nwant: %#v", got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name    string
		patch   string
		wantErr string // prefix of the error
		files   int    // files returned anyway
		lines   int    // lines in the last hunk returned
	}{
		{
			name:    "truncated hunk",
			patch:   patch("diff --git a/f b/f", "--- a/f", "+++ b/f", "@@ -1,3 +1,3 @@", " a", "-b"),
			wantErr: "diff: line 7: patch ends inside the hunk at line 4",
			files:   1, lines: 2,
		},
		{
			name:    "truncated second file",
			patch:   patch("diff --git a/f b/f", "old mode 100644", "new mode 100755", "diff --git a/g b/g", "--- a/g", "+++ b/g", "@@ -1 +1 @@", "-a"),
			wantErr: "diff: line 9:",
			files:   2, lines: 1,
		},
		{
			name:    "unexpected line in hunk",
			patch:   patch("diff --git a/f b/f", "--- a/f", "+++ b/f", "@@ -1,2 +1,2 @@", " a", "?b", " c"),
			wantErr: `diff: line 6: unexpected line in hunk: "?b"`,
			files:   1, lines: 1,
		},
		{
			name:    "counts exceeded",
			patch:   patch("diff --git a/f b/f", "--- a/f", "+++ b/f", "@@ -1,1 +1,2 @@", "-a", "-b"),
			wantErr: "diff: line 6: deleted line beyond",
			files:   1, lines: 1,
		},
		{
			name:    "malformed hunk header",
			patch:   patch("diff --git a/f b/f", "--- a/f", "+++ b/f", "@@ -x +1 @@", "-a"),
			wantErr: "diff: line 4: malformed hunk header",
			files:   1, lines: -1,
		},
		{
			name:    "huge counts",
			patch:   patch("diff --git a/f b/f", "--- a/f", "+++ b/f", "@@ -1,99999999999 +1 @@", "-a"),
			wantErr: "diff: line 4: malformed hunk header",
			files:   1, lines: -1,
		},
		{
			name:    "--- without +++",
			patch:   patch("diff --git a/f b/f", "--- a/f", "@@ -1 +1 @@"),
			wantErr: `diff: line 3: "---" line not followed by "+++"`,
			files:   1, lines: -1,
		},
		{
			name:    "bad quoting",
			patch:   patch("diff --git a/f b/f", "similarity index 100%", `rename from "f\q"`),
			wantErr: "diff: line 3: bad escape",
			files:   1, lines: -1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files, err := Parse([]byte(tc.patch))
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want prefix %q", err, tc.wantErr)
			}
			if len(files) != tc.files {
				t.Fatalf("got %d files, want %d", len(files), tc.files)
			}
			last := files[len(files)-1]
			if tc.lines < 0 {
				if len(last.Hunks) != 0 {
					t.Fatalf("got %d hunks, want none", len(last.Hunks))
				}
				return
			}
			if len(last.Hunks) == 0 || len(last.Hunks[len(last.Hunks)-1].Lines) != tc.lines {
				t.Fatalf("last file %#v, want %d lines in its last hunk", last, tc.lines)
			}
		})
	}
}

// gitRepo makes a repository whose git sees no user or system configuration.
func gitRepo(t *testing.T) (dir string, git func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir = t.TempDir()
	env := append(os.Environ(),
		"HOME="+t.TempDir(),
		"XDG_CONFIG_HOME="+t.TempDir(),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_AUTHOR_DATE=2024-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
		"LC_ALL=C",
	)
	git = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	git("init", "-q", "-b", "main")
	return dir, git
}

func numbered(prefix string, from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%s %d\n", prefix, i)
	}
	return b.String()
}

func TestParseGitOutput(t *testing.T) {
	dir, git := gitRepo(t)
	write := func(name, content string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	const weird = "tab\there-é.txt"
	big := numbered("line", 1, 60)
	moved := numbered("moved", 1, 20)

	write("big.txt", big, 0o644)
	write("gone.txt", "-- foo\n++ bar\ndiff --git a/x b/x\n", 0o644)
	write("old name.txt", moved, 0o644)
	write("run.sh", "#!/bin/sh\necho hi\n", 0o644)
	write("crlf.txt", "one\r\ntwo\r\nthree\r\n", 0o644)
	write("noeol.txt", "first\nlast", 0o644)
	git("add", "-A")
	git("commit", "-q", "-m", "base")

	// Several hunks in big.txt; big copy.txt is a copy of its old version.
	write("big copy.txt", big+"copied tail\n", 0o644)
	edited := strings.Replace(big, "line 3\n", "line three\n", 1)
	edited = strings.Replace(edited, "line 30\n", "line 30\n-- not a header\n", 1)
	edited = strings.Replace(edited, "line 57\n", "", 1)
	write("big.txt", edited, 0o644)
	write("added.txt", "++ bar\n@@ -1 +1 @@\nesc \x1b[31mred\x1b[0m\n", 0o644)
	if err := os.Remove(filepath.Join(dir, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "old name.txt")); err != nil {
		t.Fatal(err)
	}
	write("new name.txt", strings.Replace(moved, "moved 10\n", "moved ten\n", 1), 0o644)
	write("run.sh", "#!/bin/sh\necho hi\n", 0o755)
	write("image.bin", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", 0o644)
	write(weird, "named\n", 0o644)
	write("crlf.txt", "one\r\nTWO\r\nthree\r\n", 0o644)
	write("noeol.txt", "first\nLAST", 0o644)
	git("add", "-A")
	git("commit", "-q", "-m", "change")

	args := []string{"-c", "core.quotepath=false", "diff-tree", "-p", "-M", "-C", "--no-commit-id",
		"--no-color", "--no-ext-diff", "--no-textconv", "HEAD"}
	out := git(args...)
	files, err := Parse([]byte(out))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, out)
	}
	byPath := map[string]File{}
	for _, f := range files {
		byPath[f.Path()] = f
	}

	// Every file git counted, with the same numbers.
	numstat := git("-c", "core.quotepath=false", "diff-tree", "--numstat", "-z", "-M", "-C", "--no-commit-id", "HEAD")
	fields := strings.Split(strings.TrimSuffix(numstat, "\x00"), "\x00")
	seen := 0
	for i := 0; i < len(fields); i++ {
		counts := strings.SplitN(fields[i], "\t", 3)
		if len(counts) != 3 {
			t.Fatalf("numstat field %q", fields[i])
		}
		path := counts[2]
		if path == "" { // rename or copy: old and new path follow
			path = fields[i+2]
			i += 2
		}
		f, ok := byPath[path]
		if !ok {
			t.Errorf("numstat has %q, parse does not", path)
			continue
		}
		seen++
		a, d := f.Stats()
		if counts[0] == "-" {
			if !f.Binary || len(f.Hunks) != 0 {
				t.Errorf("%q: git says binary, parsed Binary=%v with %d hunks", path, f.Binary, len(f.Hunks))
			}
			continue
		}
		if strconv.Itoa(a) != counts[0] || strconv.Itoa(d) != counts[1] {
			t.Errorf("%q: parsed +%d -%d, numstat +%s -%s", path, a, d, counts[0], counts[1])
		}
	}
	if seen != len(files) {
		t.Errorf("numstat lists %d files, parse found %d", seen, len(files))
	}

	check := func(path string, want func(f File) bool, what string) {
		t.Helper()
		f, ok := byPath[path]
		if !ok {
			t.Errorf("no file %q in %v", path, keys(byPath))
			return
		}
		if !want(f) {
			t.Errorf("%q: want %s, got %#v", path, what, f)
		}
	}
	check("added.txt", func(f File) bool {
		return f.Status == StatusAdded && f.OldPath == "" && f.NewMode == "100644" && len(f.Hunks) == 1 &&
			f.Hunks[0].Lines[0] == add(1, "++ bar") && f.Hunks[0].Lines[2] == add(3, "esc \x1b[31mred\x1b[0m")
	}, "added with its ESC line")
	check("big.txt", func(f File) bool {
		return f.Status == StatusModified && len(f.Hunks) == 3 && f.Hunks[1].Lines[3] == add(31, "-- not a header")
	}, "3 hunks")
	check("gone.txt", func(f File) bool {
		return f.Status == StatusDeleted && f.NewPath == "" && f.OldMode == "100644" &&
			reflect.DeepEqual(f.Hunks[0].Lines, []Line{del(1, "-- foo"), del(2, "++ bar"), del(3, "diff --git a/x b/x")})
	}, "deleted")
	check("new name.txt", func(f File) bool {
		return f.Status == StatusRenamed && f.OldPath == "old name.txt" && f.Similarity > 50 && len(f.Hunks) == 1
	}, "renamed from old name.txt with edits")
	check("big copy.txt", func(f File) bool {
		return f.Status == StatusCopied && f.OldPath == "big.txt" && f.Similarity > 50
	}, "copied from big.txt")
	check("run.sh", func(f File) bool {
		return f.OldMode == "100644" && f.NewMode == "100755" && f.ModeChanged() && len(f.Hunks) == 0
	}, "mode change only")
	check("image.bin", func(f File) bool { return f.Binary && f.Status == StatusAdded }, "binary add")
	check(weird, func(f File) bool { return f.Status == StatusAdded && f.NewPath == weird }, "unquoted name")
	check("crlf.txt", func(f File) bool {
		return reflect.DeepEqual(f.Hunks[0].Lines, []Line{ctx(1, 1, "one\r"), del(2, "two\r"), add(2, "TWO\r"), ctx(3, 3, "three\r")})
	}, "CRLF lines kept")
	check("noeol.txt", func(f File) bool {
		return reflect.DeepEqual(f.Hunks[0].Lines, []Line{ctx(1, 1, "first"), del(2, "last"), noEOL(), add(2, "LAST"), noEOL()})
	}, "no-newline markers")
	if !strings.Contains(out, `"a/tab\there-é.txt"`) {
		t.Errorf("expected git to quote the tab name:\n%s", out)
	}

	// With --binary the same commit carries a GIT binary patch block.
	binOut := git(append(slices.Clone(args[:len(args)-1]), "--binary", "HEAD")...)
	bin, err := Parse([]byte(binOut))
	if err != nil {
		t.Fatalf("Parse --binary: %v", err)
	}
	// --binary also makes the index line carry full object ids.
	for i := range bin {
		if i < len(files) && strings.HasPrefix(bin[i].OldHash, files[i].OldHash) && strings.HasPrefix(bin[i].NewHash, files[i].NewHash) {
			bin[i].OldHash, bin[i].NewHash = files[i].OldHash, files[i].NewHash
		}
	}
	if !strings.Contains(binOut, "GIT binary patch") {
		t.Error("--binary output has no GIT binary patch")
	}
	if !reflect.DeepEqual(bin, files) {
		t.Errorf("--binary output parsed differently:\n%#v\nvs\n%#v", bin, files)
	}
}

func keys(m map[string]File) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add([]byte(tc.patch))
	}
	f.Add([]byte(patch("diff --git a/f b/f", "--- a/f", "+++ b/f", "@@ -1,3 +1,3 @@", " a", "-b")))
	f.Add([]byte(patch(`diff --git "a/\303" b/x`, "@@ -0,0 +0,0 @@", `\ x`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := Parse(data)
		for fi, file := range files {
			for hi, h := range file.Hunks {
				lastHunk := fi == len(files)-1 && hi == len(file.Hunks)-1
				oldNo, newNo, olds, news := 0, 0, 0, 0
				for _, l := range h.Lines {
					if l.OldNo != 0 {
						if l.OldNo <= oldNo && oldNo != 0 {
							t.Fatalf("OldNo not increasing: %#v", h)
						}
						oldNo = l.OldNo
						olds++
					}
					if l.NewNo != 0 {
						if l.NewNo <= newNo && newNo != 0 {
							t.Fatalf("NewNo not increasing: %#v", h)
						}
						newNo = l.NewNo
						news++
					}
					if fits := map[LineKind]bool{
						LineContext:   l.OldNo > 0 && l.NewNo > 0,
						LineAdded:     l.OldNo == 0 && l.NewNo > 0,
						LineDeleted:   l.OldNo > 0 && l.NewNo == 0,
						LineNoNewline: l.OldNo == 0 && l.NewNo == 0,
					}; !fits[l.Kind] {
						t.Fatalf("line numbers do not fit kind: %#v", l)
					}
				}
				// Only the hunk an error cut short may fall short of its counts.
				if olds > h.OldLines || news > h.NewLines || (!(err != nil && lastHunk) && (olds != h.OldLines || news != h.NewLines)) {
					t.Fatalf("hunk holds %d old and %d new lines, header says %d and %d (err %v)", olds, news, h.OldLines, h.NewLines, err)
				}
			}
		}
		if err != nil && !strings.HasPrefix(err.Error(), "diff: line ") {
			t.Fatalf("error without a line number: %v", err)
		}
	})
}

// benchPatch builds a patch of about size bytes in git's shape.
func benchPatch(size int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "diff --git a/pkg/file%d.go b/pkg/file%d.go\nindex 1234567..89abcde 100644\n--- a/pkg/file%d.go\n+++ b/pkg/file%d.go\n", i, i, i, i)
		for h := 0; h < 8; h++ {
			start := h*100 + 1
			fmt.Fprintf(&b, "@@ -%d,10 +%d,11 @@ func handler%d(w http.ResponseWriter, r *http.Request) {\n", start, start, h)
			for l := 0; l < 3; l++ {
				b.WriteString(" \tif err := validate(r.Context(), request); err != nil {\n")
			}
			for l := 0; l < 4; l++ {
				b.WriteString("-\treturn fmt.Errorf(\"old behaviour for %s: %w\", name, err)\n")
			}
			for l := 0; l < 5; l++ {
				b.WriteString("+\treturn fmt.Errorf(\"new behaviour for %s: %w\", name, err)\n")
			}
			for l := 0; l < 3; l++ {
				b.WriteString(" \t}\n")
			}
		}
	}
	return b.Bytes()
}

func BenchmarkParse(b *testing.B) {
	data := benchPatch(5 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
