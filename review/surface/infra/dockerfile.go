package infra

import (
	"path"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/vouch-review/vouch/review/surface/infra/dockerfile"
)

var remoteURL = regexp.MustCompile(`(?i)\b(https?|ftp)://|\bgit@[^:\s]+:`)

// analyseDockerfile reads a Dockerfile or Containerfile.
func analyseDockerfile(src []byte) *result {
	r := newResult(src)
	ins := dockerfile.Parse(src).Instructions
	r.covers["dockerfile"] = true
	// The stage that runs is the last one; its last USER decides the user.
	lastFrom := -1
	for i, in := range ins {
		if in.Cmd == "FROM" {
			lastFrom = i
		}
	}
	for _, in := range ins {
		switch in.Cmd {
		case "EXPOSE":
			for _, p := range strings.Fields(in.Args) {
				r.add(candidate{category: catInfra, rule: "infra/docker-expose", severity: "low", token: "EXPOSE",
					key: "docker-expose|" + p, line: in.Line, span: in.Lines[1:], message: "image exposes port " + p})
			}
		case "RUN":
			if v, _ := in.Flag("security"); v == "insecure" {
				r.add(candidate{category: catInfra, rule: "infra/docker-privileged", severity: "high", token: "--security=insecure",
					key: "docker-insecure|" + normalizeCommand(in.Args), line: in.Line, span: in.Lines[1:],
					message: "RUN --security=insecure runs the build step with full host privileges"})
			}
			runFindings(r, in)
		case "COPY", "ADD":
			if mode, ok := in.Flag("chmod"); ok && worldWritableMode(mode) {
				r.add(candidate{category: "file", rule: "file/world-writable", severity: "medium", token: "--chmod=" + mode,
					key: "world-writable|" + in.Cmd + " --chmod=" + mode + " " + normalizeCommand(in.Args), line: in.Line, span: in.Lines[1:],
					message: "image makes files world-writable (" + in.Cmd + " --chmod=" + mode + "): any process in the container can change them"})
			}
			if in.Cmd != "ADD" {
				break
			}
			for _, f := range strings.Fields(in.Args) {
				if strings.HasPrefix(f, "--") {
					continue
				}
				if remoteURL.MatchString(f) {
					r.add(candidate{category: catPipeline, rule: "pipeline/docker-add-remote", severity: "medium", token: "ADD",
						key: "docker-add-remote|" + f, line: in.Line, span: in.Lines[1:],
						message: "ADD fetches " + f + " from the network at build time"})
				}
			}
		}
		if in.Cmd != "RUN" && strings.Contains(in.Args, "--privileged") {
			r.add(candidate{category: catInfra, rule: "infra/docker-privileged", severity: "medium", token: "--privileged",
				key: "docker-privileged|" + normalizeCommand(in.Args), line: in.Line, span: in.Lines[1:],
				message: in.Cmd + " expects the container to run with --privileged"})
		}
	}
	// The final stage's user.
	var user *dockerfile.Instruction
	for i := len(ins) - 1; i > lastFrom && i >= 0; i-- {
		if ins[i].Cmd == "USER" {
			user = &ins[i]
			break
		}
	}
	if user == nil {
		return r
	}
	r.covers["final-user"] = true
	name, _, _ := strings.Cut(strings.TrimSpace(user.Args), ":")
	if name == "root" || name == "0" {
		r.add(candidate{category: catInfra, rule: "infra/docker-root-user", severity: "medium", token: "USER root",
			key: "docker-root-user", line: user.Line, message: "container runs as root (USER " + user.Args + ")"})
		return r
	}
	r.guards = append(r.guards, guard{
		candidate: candidate{category: catInfra, rule: "infra/docker-root-user", severity: "medium", token: "USER",
			key: "final-user", line: user.Line,
			message: "USER " + user.Args + " removed: the container now runs as root"},
		requires: "dockerfile"})
	return r
}

// runFindings judges the shell of a RUN: its script in the shell form, the
// command an exec form runs, and, where the parser refuses the text, the
// line patterns on the joined command.
func runFindings(r *result, in dockerfile.Instruction) {
	script, at := in.Script, in.Line
	exact := true // script lines are source lines
	if in.Exec != nil {
		script, exact = execScript(in.Exec), false
	}
	hits, ok := scanShell(script)
	if !ok || script == "" {
		runPatterns(r, in)
		return
	}
	for _, h := range hits {
		line, span := at+h.line-1, lineRange(at+h.first-1, at+h.last-1)
		if !exact {
			line, span = in.Line, in.Lines
		}
		switch h.kind {
		case hitPipeShell:
			r.add(candidate{category: catPipeline, rule: "pipeline/curl-pipe-shell", severity: "high", token: "curl | sh",
				key: "curl-pipe-shell|" + h.key, line: line, span: span,
				message: "build runs a script downloaded from the network (curl | sh)"})
		case hitWorldWritable:
			r.add(candidate{category: "file", rule: "file/world-writable", severity: "medium", token: "chmod world-writable",
				key: "world-writable|" + h.key, line: line, span: span,
				message: "image makes files world-writable (" + h.text + "): any process in the container can change them"})
		}
	}
}

// execScript is the shell text an exec-form RUN amounts to: the script of
// ["sh", "-c", "…"], else the argv quoted back into one command.
func execScript(argv []string) string {
	if len(argv) >= 3 && isShell(path.Base(argv[0])) && shortFlag(argv[1], 'c') {
		return argv[2]
	}
	var parts []string
	for _, a := range argv {
		q, err := syntax.Quote(a, syntax.LangBash)
		if err != nil {
			return ""
		}
		parts = append(parts, q)
	}
	return strings.Join(parts, " ")
}

// runPatterns is the fallback for a RUN the shell parser refuses (a
// Windows shell, a partial line): the line patterns of old.
func runPatterns(r *result, in dockerfile.Instruction) {
	ls := shellLines(r.lines, in.Line, in.End)
	joined := strings.ReplaceAll(in.Args, "\n", " ; ")
	for _, h := range in.Heredocs {
		joined += " ; " + strings.ReplaceAll(h.Body, "\n", " ; ")
	}
	if len(ls) > 0 || curlPipeShell(joined) {
		line := in.Line
		if len(ls) > 0 {
			line = ls[0]
		}
		key := curlPipeSnippet(joined)
		if key == "" {
			key = normalizeCommand(in.Args)
		}
		r.add(candidate{category: catPipeline, rule: "pipeline/curl-pipe-shell", severity: "high", token: "curl | sh",
			key: "curl-pipe-shell|" + key, line: line, span: in.Lines,
			message: "build runs a script downloaded from the network (curl | sh)"})
	}
	if m := worldWritable.FindString(in.Args); m != "" {
		r.add(candidate{category: "file", rule: "file/world-writable", severity: "medium", token: "chmod world-writable",
			key: "world-writable|" + strings.Join(strings.Fields(m), " "), line: in.Line, span: in.Lines,
			message: "image makes files world-writable (" + m + "): any process in the container can change them"})
	}
}
