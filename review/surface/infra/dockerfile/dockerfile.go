// Package dockerfile is the one Dockerfile reader of the surface detectors:
// instructions with their continuation lines joined as BuildKit joins them,
// the escape directive, leading flags, the exec (JSON) form and heredocs,
// every piece with the source lines it came from.
//
// It never fails: a line that is not an instruction is skipped, so a partial
// or hostile file yields what can be read of it.
package dockerfile

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Instruction is one Dockerfile instruction.
type Instruction struct {
	Cmd   string   // upper-cased keyword: RUN, FROM, COPY…
	Flags []string // leading --name[=value] flags as written
	// Args is the text after the flags, continuation lines joined with a
	// space; comment and blank lines inside the continuation are dropped,
	// as BuildKit drops them. Heredoc bodies are not part of it.
	Args string
	// Exec is the exec form (`RUN ["sh", "-c", "…"]`); nil for the shell form.
	Exec     []string
	Heredocs []Heredoc
	// Line and End are the first and last source lines (1-based), heredoc
	// bodies and their terminators included.
	Line, End int
	// Lines are the source lines holding the instruction's own text:
	// continuation lines and heredoc bodies, not comments.
	Lines []int
	// Script is the shell text of a shell-form RUN with its source lines
	// kept: line n of Script is source line Line+n-1. Blank when the file's
	// escape character is not a backslash (a Windows shell, not POSIX).
	Script string
}

// Heredoc is a BuildKit here-document of a RUN, COPY or ADD.
type Heredoc struct {
	Name string
	Body string // the body lines, each ending in "\n"
	Line int    // first body line
	End  int    // the terminator's line; 0 when the file ends first
}

// Flag returns the value of a --name=value flag and whether it was given.
func (in Instruction) Flag(name string) (string, bool) {
	for _, f := range in.Flags {
		k, v, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// File is a parsed Dockerfile.
type File struct {
	Escape       byte
	Instructions []Instruction
}

// maxLine bounds one logical line, so a file of nothing but continuations
// costs linear time and bounded memory.
const maxLine = 1 << 20

var heredocMarker = regexp.MustCompile(`<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)`)

// Parse reads a whole Dockerfile.
func Parse(src []byte) *File {
	lines := strings.Split(string(src), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	f := &File{Escape: '\\'}
	for i := directives(lines, f); i < len(lines); i++ {
		if skipped(lines[i]) {
			continue
		}
		in := Instruction{Line: i + 1, End: i + 1, Lines: []int{i + 1}}
		var text strings.Builder
		piece := strings.TrimSpace(lines[i])
		for continues(piece, f.Escape) && text.Len() < maxLine {
			text.WriteString(piece[:len(piece)-1])
			text.WriteByte(' ')
			// Comment and blank lines inside a continuation are dropped.
			j := i + 1
			for j < len(lines) && skipped(lines[j]) {
				j++
			}
			if j == len(lines) {
				i, in.End, piece = j-1, j, ""
				break
			}
			i, in.End = j, j+1
			in.Lines = append(in.Lines, j+1)
			piece = strings.TrimSpace(lines[j])
		}
		text.WriteString(piece)
		head := in.End
		keyword, rest := cutWord(strings.TrimSpace(text.String()))
		in.Cmd = strings.ToUpper(keyword)
		in.Flags, in.Args = splitFlags(rest)
		if in.Cmd == "RUN" || in.Cmd == "COPY" || in.Cmd == "ADD" {
			i = heredocs(lines, i, &in)
		}
		if strings.HasPrefix(in.Args, "[") && len(in.Heredocs) == 0 {
			var argv []string
			if json.Unmarshal([]byte(in.Args), &argv) == nil {
				in.Exec = argv
			}
		}
		if in.Cmd == "RUN" && in.Exec == nil && f.Escape == '\\' {
			in.Script = script(lines, in, head)
		}
		f.Instructions = append(f.Instructions, in)
	}
	return f
}

func skipped(l string) bool {
	t := strings.TrimSpace(l)
	return t == "" || strings.HasPrefix(t, "#")
}

// cutWord splits s at its first space or tab.
func cutWord(s string) (string, string) {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], strings.TrimSpace(s[i:])
	}
	return s, ""
}

// directives reads the parser directives at the top of the file and returns
// the index of the first line after them.
func directives(lines []string, f *File) int {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#") {
			return i
		}
		k, v, ok := strings.Cut(t[1:], "=")
		if !ok || strings.ContainsAny(strings.TrimSpace(k), " \t") {
			return i
		}
		if strings.EqualFold(strings.TrimSpace(k), "escape") {
			if v = strings.TrimSpace(v); v == "`" || v == `\` {
				f.Escape = v[0]
			}
		}
	}
	return len(lines)
}

func continues(s string, escape byte) bool { return len(s) > 0 && s[len(s)-1] == escape }

// splitFlags splits the leading --flags off an instruction's arguments.
func splitFlags(s string) ([]string, string) {
	var flags []string
	for strings.HasPrefix(s, "--") {
		var f string
		f, s = cutWord(s)
		flags = append(flags, f)
	}
	return flags, s
}

// heredocs reads the bodies of the heredocs the instruction's text opens,
// in order, from the line after i; it returns the last line index read.
func heredocs(lines []string, i int, in *Instruction) int {
	for _, m := range heredocMarker.FindAllStringSubmatch(in.Args, -1) {
		if m[2] != m[4] {
			continue
		}
		h := Heredoc{Name: m[3], Line: i + 2}
		var body strings.Builder
		for i+1 < len(lines) {
			i++
			in.End = i + 1
			l := lines[i]
			if m[1] == "-" {
				l = strings.TrimLeft(l, "\t")
			}
			if l == h.Name {
				h.End = i + 1
				break
			}
			in.Lines = append(in.Lines, i+1)
			if body.Len() < maxLine {
				body.WriteString(lines[i])
				body.WriteByte('\n')
			}
		}
		h.Body = body.String()
		in.Heredocs = append(in.Heredocs, h)
	}
	return i
}

// script builds the shell text of a RUN with its source lines kept. The
// keyword and flags become spaces; comment and blank lines inside the
// continuation become a lone backslash, which the shell joins as Docker
// drops them. A RUN that is nothing but a heredoc runs the heredoc's body.
func script(lines []string, in Instruction, head int) string {
	out := make([]string, 0, in.End-in.Line+1)
	if onlyHeredoc(in) {
		h := in.Heredocs[0]
		for l := in.Line; l <= in.End; l++ {
			s := ""
			if l >= h.Line && l != h.End {
				s = lines[l-1]
			}
			out = append(out, s)
		}
		return strings.Join(out, "\n")
	}
	prefix := true // still blanking the keyword and flags
	for l := in.Line; l <= in.End; l++ {
		s := lines[l-1]
		if l <= head {
			if l > in.Line && skipped(s) {
				s = `\`
			} else if prefix {
				s, prefix = blankPrefix(s, l == in.Line)
			}
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

// onlyHeredoc reports a RUN whose command is a single heredoc marker.
func onlyHeredoc(in Instruction) bool {
	if len(in.Heredocs) != 1 {
		return false
	}
	m := heredocMarker.FindStringIndex(in.Args)
	return m != nil && m[0] == 0 && strings.TrimSpace(in.Args[m[1]:]) == ""
}

// blankPrefix replaces the keyword (on the first line) and the flags of an
// instruction with spaces, so the rest stays on its line and column; it
// reports whether the flags may go on past this line.
func blankPrefix(s string, first bool) (string, bool) {
	b := []byte(s)
	i := 0
	for {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		if i == len(b) || (b[i] == '\\' && i == len(b)-1) {
			return string(b), true
		}
		if !first && !strings.HasPrefix(string(b[i:]), "--") {
			return string(b), false
		}
		first = false
		for i < len(b) && b[i] != ' ' && b[i] != '\t' {
			b[i] = ' '
			i++
		}
	}
}
