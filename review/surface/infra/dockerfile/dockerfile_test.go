package dockerfile

import (
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := strings.Join([]string{
		"# syntax=docker/dockerfile:1",                        // 1
		"FROM --platform=$BUILDPLATFORM golang:1.26 AS build", // 2
		"RUN --mount=type=cache,target=/go \\",                // 3
		"    # a comment inside",                              // 4
		"",                                                    // 5
		"    go build \\",                                     // 6
		"      -o /out/app",                                   // 7
		"COPY --from=build --chmod=755 /out/app /app",         // 8
		"RUN <<EOF",                                           // 9
		"set -e",                                              // 10
		"echo hi",                                             // 11
		"EOF",                                                 // 12
		`CMD ["/app", "--serve"]`,                             // 13
		"run\tpython3 <<-PY",                                  // 14
		"\tprint(1)",                                          // 15
		"\tPY",                                                // 16
	}, "\n") + "\n"
	f := Parse([]byte(src))
	var cmds []string
	for _, in := range f.Instructions {
		cmds = append(cmds, in.Cmd)
	}
	if want := []string{"FROM", "RUN", "COPY", "RUN", "CMD", "RUN"}; !slices.Equal(cmds, want) {
		t.Fatalf("instructions %q, want %q", cmds, want)
	}
	from, run, copyIn, heredoc, cmd, py := f.Instructions[0], f.Instructions[1], f.Instructions[2], f.Instructions[3], f.Instructions[4], f.Instructions[5]
	if v, _ := from.Flag("platform"); v != "$BUILDPLATFORM" || from.Args != "golang:1.26 AS build" || from.Line != 2 {
		t.Errorf("FROM %+v", from)
	}
	if run.Args != "go build  -o /out/app" || run.Line != 3 || run.End != 7 || !slices.Equal(run.Lines, []int{3, 6, 7}) {
		t.Errorf("RUN args %q lines %d-%d %v", run.Args, run.Line, run.End, run.Lines)
	}
	// The script keeps source lines: line n is source line Line+n-1.
	if lines := strings.Split(run.Script, "\n"); len(lines) != 5 || strings.TrimSpace(lines[0]) != `\` ||
		lines[1] != `\` || lines[2] != `\` || strings.TrimSpace(lines[3]) != `go build \` {
		t.Errorf("RUN script %q", run.Script)
	}
	if v, _ := copyIn.Flag("from"); v != "build" || copyIn.Args != "/out/app /app" {
		t.Errorf("COPY %+v", copyIn)
	}
	if len(heredoc.Heredocs) != 1 || heredoc.Heredocs[0].Body != "set -e\necho hi\n" || heredoc.End != 12 ||
		heredoc.Script != "\nset -e\necho hi\n" {
		t.Errorf("heredoc %+v", heredoc)
	}
	if !slices.Equal(cmd.Exec, []string{"/app", "--serve"}) || cmd.Line != 13 {
		t.Errorf("CMD %+v", cmd)
	}
	if py.Args != "python3 <<-PY" || len(py.Heredocs) != 1 || py.Heredocs[0].Body != "\tprint(1)\n" || py.End != 16 {
		t.Errorf("python heredoc %+v", py)
	}
}

func TestEscapeDirective(t *testing.T) {
	f := Parse([]byte("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n    c:\\\n"))
	if f.Escape != '`' || len(f.Instructions) != 2 {
		t.Fatalf("%+v", f)
	}
	run := f.Instructions[1]
	if run.Args != `dir  c:\` || run.End != 4 || run.Script != "" {
		t.Errorf("RUN %+v", run)
	}
	// A directive after an instruction is a comment.
	if f := Parse([]byte("FROM a\n# escape=`\nRUN x `\n")); f.Escape != '\\' {
		t.Errorf("late directive applied")
	}
}

func TestPartialInput(t *testing.T) {
	for _, src := range []string{"RUN curl x \\", "RUN <<EOF\ncurl x | sh", "RUN \\\n# only a comment", "\\", "RUN", "FROM\t", "COPY <<\"A' x"} {
		f := Parse([]byte(src))
		for _, in := range f.Instructions {
			if in.Line < 1 || in.End < in.Line || len(in.Lines) == 0 {
				t.Errorf("%q: %+v", src, in)
			}
			if in.Script != "" && strings.Count(in.Script, "\n") != in.End-in.Line {
				t.Errorf("%q: script %q does not keep lines %d-%d", src, in.Script, in.Line, in.End)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"FROM a AS b\nRUN x \\\n  # c\n  y\n", "RUN <<A <<B\na\nA\nb\nB\n", "# escape=`\nRUN a `\n b\n",
		"RUN [\"sh\", \"-c\", \"x\"]\n", "RUN --mount=x \\\n --network=none \\\n curl x | sh\n", "COPY <<-EOF /x\n\tEOF\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n := strings.Count(src, "\n") + 1
		for _, in := range Parse([]byte(src)).Instructions {
			if in.Line < 1 || in.End < in.Line || in.End > n {
				t.Fatalf("lines %d-%d of %d", in.Line, in.End, n)
			}
			for _, l := range in.Lines {
				if l < in.Line || l > in.End {
					t.Fatalf("line %d outside %d-%d", l, in.Line, in.End)
				}
			}
			if in.Script != "" && strings.Count(in.Script, "\n") != in.End-in.Line {
				t.Fatalf("script %q does not keep lines %d-%d", in.Script, in.Line, in.End)
			}
		}
	})
}
