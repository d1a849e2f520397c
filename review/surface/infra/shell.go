package infra

import (
	"regexp"
	"strings"
)

// pipeToShell matches a download piped into an interpreter: the build or job
// runs whatever the server returns at that moment.
var pipeToShell = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(curl|wget|iwr|invoke-webrequest|fetch)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(env\s+\S+=\S*\s+)*((/usr)?/bin/)?(ba|z|da|k|c|fi)?sh\b`),
	regexp.MustCompile(`(?i)\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?((/usr)?/bin/)?(python[0-9.]*|perl|ruby|node|php)\b`),
	regexp.MustCompile(`(?i)\b(ba|z|da|k)?sh\s+(-\S+\s+)*(-c\s+)?["']?\$\(\s*(curl|wget)\b`),
	regexp.MustCompile(`(?i)\b(ba|z|da|k)?sh\s+<\(\s*(curl|wget)\b`),
	regexp.MustCompile(`(?i)\b(iwr|invoke-webrequest|irm|invoke-restmethod)\b[^|\n]*\|\s*(iex|invoke-expression)\b`),
	regexp.MustCompile(`(?i)\beval\s+["']?\$\(\s*(curl|wget)\b`),
}

var downloader = regexp.MustCompile(`(?i)\b(curl|wget|iwr|invoke-webrequest|irm|fetch)\b`)

// curlPipeShell reports whether a shell snippet pipes a download into an
// interpreter, ignoring # comments.
func curlPipeShell(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
			continue
		}
		for _, re := range pipeToShell {
			if re.MatchString(line) {
				return true
			}
		}
	}
	return false
}

// curlPipeSnippet is the part of a command that pipes a download into an
// interpreter, spaces collapsed: what identifies the construct, so editing
// another continuation line of the same RUN does not make it new.
func curlPipeSnippet(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
			continue
		}
		for _, re := range pipeToShell {
			if m := re.FindString(line); m != "" {
				return strings.Join(strings.Fields(m), " ")
			}
		}
	}
	return ""
}

// worldWritable matches a chmod that lets every user write: 777, 666, a+w,
// o+w, a+rwx, ugo+rwx.
var worldWritable = regexp.MustCompile(`\bchmod\s+(?:-\S+\s+)*(?:0?[0-7]?[2367][2367]|[0-7]?[0-7][0-7][2367]\b|[ugo]*[ao][ugo]*\+[rx]*w[rwxXst]*)\b`)

// shellLines returns, for a script spread over source lines starting at
// first, the line numbers that pipe a download into a shell. A command
// continued with a backslash is judged whole and reported on its first line.
func shellLines(src []string, first, last int) []int {
	var out []int
	for l := first; l <= last && l <= len(src); l++ {
		if l < 1 {
			continue
		}
		start := l
		var b strings.Builder
		part := src[l-1]
		for strings.HasSuffix(strings.TrimRight(part, " \t\r"), "\\") && l < last && l < len(src) {
			b.WriteString(strings.TrimSuffix(strings.TrimRight(part, " \t\r"), "\\"))
			b.WriteByte(' ')
			l++
			part = src[l-1]
		}
		b.WriteString(part)
		cmd := b.String()
		if curlPipeShell(cmd) {
			// Point at the download itself when the command is wrapped.
			at := start
			for k := start; k <= l; k++ {
				if downloader.MatchString(src[k-1]) {
					at = k
					break
				}
			}
			out = append(out, at)
		}
	}
	return out
}

// normalizeCommand makes a key out of a command so that re-indenting or
// re-wrapping it does not make it new.
func normalizeCommand(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\\\n", " ")), " ")
}
