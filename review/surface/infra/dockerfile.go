package infra

import (
	"regexp"
	"strings"
)

// instruction is one Dockerfile instruction with its continuation lines
// joined; comment lines inside it are dropped, as Docker does.
type instruction struct {
	cmd   string // upper-cased
	args  string
	line  int // first line
	end   int // last line
	lines []int
}

var remoteURL = regexp.MustCompile(`(?i)\b(https?|ftp)://|\bgit@[^:\s]+:`)

// parseDockerfile splits a Dockerfile into instructions. It does not fail:
// lines that are not instructions are skipped.
func parseDockerfile(src []string) []instruction {
	escape := byte('\\')
	// The escape directive must come before any instruction.
	for _, l := range src {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#") {
			break
		}
		if d := strings.ToLower(strings.ReplaceAll(t[1:], " ", "")); strings.HasPrefix(d, "escape=") && len(d) > 7 {
			escape = d[7]
		}
	}
	var out []instruction
	for i := 0; i < len(src); i++ {
		t := strings.TrimSpace(strings.TrimSuffix(src[i], "\r"))
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		in := instruction{line: i + 1, end: i + 1, lines: []int{i + 1}}
		var text strings.Builder
		heredoc := ""
		// Only RUN and COPY take BuildKit heredocs; elsewhere "<<" is text.
		if first, _, _ := strings.Cut(strings.ToUpper(t), " "); first == "RUN" || first == "COPY" {
			if m := dockerHeredoc.FindStringSubmatch(t); m != nil {
				heredoc = m[1]
			}
		}
		// A line ending in the escape character continues; the escape
		// itself is dropped and comment lines inside are skipped.
		piece := t
		for strings.HasSuffix(piece, string(escape)) && i+1 < len(src) {
			text.WriteString(strings.TrimSuffix(piece, string(escape)))
			i++
			in.end = i + 1
			next := strings.TrimSpace(strings.TrimSuffix(src[i], "\r"))
			for strings.HasPrefix(next, "#") && i+1 < len(src) {
				i++
				in.end = i + 1
				next = strings.TrimSpace(strings.TrimSuffix(src[i], "\r"))
			}
			if strings.HasPrefix(next, "#") {
				piece = ""
				break
			}
			in.lines = append(in.lines, i+1)
			text.WriteByte(' ')
			piece = next
		}
		text.WriteString(piece)
		if heredoc != "" {
			for i+1 < len(src) {
				i++
				in.end = i + 1
				if strings.TrimSpace(src[i]) == heredoc {
					break
				}
				in.lines = append(in.lines, i+1)
				text.WriteByte('\n')
				text.WriteString(src[i])
			}
		}
		cmd, args, _ := strings.Cut(text.String(), " ")
		in.cmd = strings.ToUpper(cmd)
		in.args = strings.TrimSpace(args)
		out = append(out, in)
	}
	return out
}

var dockerHeredoc = regexp.MustCompile(`<<-?["']?([A-Za-z_][A-Za-z0-9_]*)["']?`)

// analyseDockerfile reads a Dockerfile or Containerfile.
func analyseDockerfile(src []byte) *result {
	r := newResult(src)
	ins := parseDockerfile(r.lines)
	r.covers["dockerfile"] = true
	// The stage that runs is the last one; its last USER decides the user.
	lastFrom := -1
	for i, in := range ins {
		if in.cmd == "FROM" {
			lastFrom = i
		}
	}
	for _, in := range ins {
		switch in.cmd {
		case "EXPOSE":
			for _, p := range strings.Fields(in.args) {
				r.add(candidate{category: catInfra, rule: "infra/docker-expose", severity: "low", token: "EXPOSE",
					key: "docker-expose|" + p, line: in.line, span: in.lines[1:], message: "image exposes port " + p})
			}
		case "RUN":
			cmd := normalizeCommand(in.args)
			if strings.Contains(in.args, "--security=insecure") {
				r.add(candidate{category: catInfra, rule: "infra/docker-privileged", severity: "high", token: "--security=insecure",
					key: "docker-insecure|" + cmd, line: in.line, span: in.lines[1:],
					message: "RUN --security=insecure runs the build step with full host privileges"})
			}
			// Judge the joined command (a pipe may follow a continuation) and
			// each physical line (heredoc bodies), pointing at the curl line.
			ls := shellLines(r.lines, in.line, in.end)
			if len(ls) > 0 || curlPipeShell(strings.ReplaceAll(in.args, "\n", " ; ")) {
				line := in.line
				if len(ls) > 0 {
					line = ls[0]
				}
				key := curlPipeSnippet(strings.ReplaceAll(in.args, "\n", " ; "))
				if key == "" {
					key = cmd
				}
				r.add(candidate{category: catPipeline, rule: "pipeline/curl-pipe-shell", severity: "high", token: "curl | sh",
					key: "curl-pipe-shell|" + key, line: line, span: in.lines,
					message: "build runs a script downloaded from the network (curl | sh)"})
			}
			if m := worldWritable.FindString(in.args); m != "" {
				r.add(candidate{category: "file", rule: "file/world-writable", severity: "medium", token: "chmod world-writable",
					key: "world-writable|" + strings.Join(strings.Fields(m), " "), line: in.line, span: in.lines,
					message: "image makes files world-writable (" + m + "): any process in the container can change them"})
			}
		case "ADD":
			for _, f := range strings.Fields(in.args) {
				if strings.HasPrefix(f, "--") {
					continue
				}
				if remoteURL.MatchString(f) {
					r.add(candidate{category: catPipeline, rule: "pipeline/docker-add-remote", severity: "medium", token: "ADD",
						key: "docker-add-remote|" + f, line: in.line, span: in.lines[1:],
						message: "ADD fetches " + f + " from the network at build time"})
				}
			}
		}
		if in.cmd != "RUN" && strings.Contains(in.args, "--privileged") {
			r.add(candidate{category: catInfra, rule: "infra/docker-privileged", severity: "medium", token: "--privileged",
				key: "docker-privileged|" + normalizeCommand(in.args), line: in.line, span: in.lines[1:],
				message: in.cmd + " expects the container to run with --privileged"})
		}
	}
	// The final stage's user.
	var user *instruction
	for i := len(ins) - 1; i > lastFrom && i >= 0; i-- {
		if ins[i].cmd == "USER" {
			user = &ins[i]
			break
		}
	}
	if user == nil {
		return r
	}
	r.covers["final-user"] = true
	name, _, _ := strings.Cut(strings.TrimSpace(user.args), ":")
	if name == "root" || name == "0" {
		r.add(candidate{category: catInfra, rule: "infra/docker-root-user", severity: "medium", token: "USER root",
			key: "docker-root-user", line: user.line, message: "container runs as root (USER " + user.args + ")"})
		return r
	}
	r.guards = append(r.guards, guard{
		candidate: candidate{category: catInfra, rule: "infra/docker-root-user", severity: "medium", token: "USER",
			key: "final-user", line: user.line,
			message: "USER " + user.args + " removed: the container now runs as root"},
		requires: "dockerfile"})
	return r
}
