package deps

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// pep508 splits a requirement into name, extras and the rest.
var pep508 = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$`)

var eggName = regexp.MustCompile(`#egg=([A-Za-z0-9][A-Za-z0-9._-]*)`)

// pyNormalize is PEP 503's name normalisation, so "Flask_Login" and
// "flask-login" are one package.
func pyNormalize(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			if !dash {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}

func isVCS(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"git+", "hg+", "svn+", "bzr+", "git://"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func isLocalPath(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || strings.HasPrefix(s, "/") ||
		strings.HasPrefix(strings.ToLower(s), "file:") || s == "."
}

// pyRequirement parses one PEP 508 requirement or pip requirement-line
// target into an entry; ok is false for anything that is not one.
func pyRequirement(req, group string) (entry, bool) {
	req = strings.TrimSpace(req)
	if req == "" {
		return entry{}, false
	}
	if isVCS(req) || isLocalPath(req) || strings.HasPrefix(strings.ToLower(req), "http://") || strings.HasPrefix(strings.ToLower(req), "https://") {
		// A bare URL or path: the name, if any, is in #egg=.
		name := req
		if m := eggName.FindStringSubmatch(req); m != nil {
			name = m[1]
		}
		kind := "URL "
		switch {
		case isVCS(req):
			kind = "VCS "
		case isLocalPath(req):
			kind = "local path "
		}
		return entry{key: "req " + pyNormalize(name), name: name, group: group, source: kind + req, find: req}, true
	}
	m := pep508.FindStringSubmatch(req)
	if m == nil {
		return entry{}, false
	}
	name, rest := m[1], strings.TrimSpace(m[3])
	if i := strings.IndexByte(rest, ';'); i >= 0 {
		rest = strings.TrimSpace(rest[:i]) // environment markers
	}
	e := entry{key: "req " + pyNormalize(name), name: name, group: group}
	if at, ok := strings.CutPrefix(rest, "@"); ok {
		at = strings.TrimSpace(at)
		switch {
		case isVCS(at):
			e.source = "VCS " + at
		case isLocalPath(at):
			e.source = "local path " + at
		default:
			e.source = "URL " + at
		}
		return e, true
	}
	e.version = strings.Trim(rest, "() ")
	return e, true
}

// parseRequirements reads pip's requirements format: one requirement per
// logical line, options that add indexes or sources, comments.
func parseRequirements(data []byte) ([]entry, error) {
	var out []entry
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		start := i + 1
		l := strings.TrimRight(lines[i], "\r")
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, `\`) + " " + strings.TrimRight(lines[i], "\r")
		}
		l = stripHashComment(l)
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "-") {
			opt, val := splitOption(l)
			switch opt {
			case "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host":
				if val != "" {
					out = append(out, entry{key: "source " + opt + " " + val, kind: kindSource,
						name: opt, text: strings.TrimSpace(opt + " " + val), find: val, line: start})
				}
			case "-e", "--editable":
				if e, ok := pyRequirement(val, ""); ok {
					e.line = start
					if e.source == "" && isLocalPath(val) {
						e.source = "local path " + val
					}
					out = append(out, e)
				}
			}
			continue
		}
		// Per-requirement options (--hash=…) follow the requirement.
		if i := strings.Index(l, " --"); i >= 0 {
			l = l[:i]
		}
		if e, ok := pyRequirement(l, ""); ok {
			e.line = start
			out = append(out, e)
		}
	}
	return out, nil
}

func stripHashComment(l string) string {
	if strings.HasPrefix(strings.TrimSpace(l), "#") {
		return ""
	}
	if i := strings.Index(l, " #"); i >= 0 {
		return l[:i]
	}
	if i := strings.Index(l, "\t#"); i >= 0 {
		return l[:i]
	}
	return l
}

func splitOption(l string) (opt, val string) {
	if o, v, ok := strings.Cut(l, "="); ok && !strings.ContainsAny(o, " \t") {
		return o, strings.TrimSpace(v)
	}
	f := strings.Fields(l)
	if len(f) > 1 {
		return f[0], strings.Join(f[1:], " ")
	}
	return f[0], ""
}

// wellKnownBackends are the build back ends most projects start with; a
// new pyproject naming one of them is routine, not a new build step.
var wellKnownBackends = map[string]bool{
	"setuptools": true, "wheel": true, "hatchling": true, "poetry-core": true, "flit-core": true,
	"pdm-backend": true, "maturin": true, "scikit-build-core": true, "setuptools-scm": true, "uv-build": true,
}

func parsePyproject(data []byte) ([]entry, error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []entry
	project, _ := doc["project"].(map[string]any)
	for _, r := range strList(project["dependencies"]) {
		if e, ok := pyRequirement(r, ""); ok {
			out = append(out, e)
		}
	}
	if opt, ok := project["optional-dependencies"].(map[string]any); ok {
		for _, g := range sortedKeys(opt) {
			for _, r := range strList(opt[g]) {
				if e, ok := pyRequirement(r, "extra "+g); ok {
					e.key = "extra " + g + " " + e.key
					out = append(out, e)
				}
			}
		}
	}
	if groups, ok := doc["dependency-groups"].(map[string]any); ok {
		for _, g := range sortedKeys(groups) {
			for _, r := range strList(groups[g]) {
				if e, ok := pyRequirement(r, "dev"); ok {
					e.key = "group " + g + " " + e.key
					out = append(out, e)
				}
			}
		}
	}
	tool, _ := doc["tool"].(map[string]any)
	if poetry, ok := tool["poetry"].(map[string]any); ok {
		out = append(out, poetryTable(poetry["dependencies"], "", "")...)
		out = append(out, poetryTable(poetry["dev-dependencies"], "dev", "dev ")...)
		if groups, ok := poetry["group"].(map[string]any); ok {
			for _, g := range sortedKeys(groups) {
				gt, _ := groups[g].(map[string]any)
				grp := "dev"
				if g == "main" {
					grp = ""
				}
				out = append(out, poetryTable(gt["dependencies"], grp, "group "+g+" ")...)
			}
		}
		out = append(out, sourceList(poetry["source"], "url")...)
	}
	if uv, ok := tool["uv"].(map[string]any); ok {
		out = append(out, sourceList(uv["index"], "url")...)
		if srcs, ok := uv["sources"].(map[string]any); ok {
			for _, name := range sortedKeys(srcs) {
				t, _ := srcs[name].(map[string]any)
				if s := tableSource(t); s != "" {
					out = append(out, entry{key: "uv-source " + pyNormalize(name), name: name, source: s, verb: "re-sources"})
				}
			}
		}
	}
	if bs, ok := doc["build-system"].(map[string]any); ok {
		out = append(out, buildSystem(bs)...)
	}
	return out, nil
}

// buildSystem reports the build back end and its requirements: they run
// on every `pip install` of the project from source.
func buildSystem(bs map[string]any) []entry {
	var out []entry
	for _, r := range strList(bs["requires"]) {
		e, ok := pyRequirement(r, "")
		if !ok {
			continue
		}
		text := strings.TrimSpace(r)
		out = append(out, entry{key: "build-requires " + pyNormalize(e.name), kind: kindScript,
			name: "build requirement " + e.name, purl: e.name, version: e.version, text: text,
			what: "build-system", find: e.name, token: e.name, low: wellKnownBackends[pyNormalize(e.name)]})
	}
	if b, ok := bs["build-backend"].(string); ok {
		root := pyNormalize(strings.SplitN(b, ".", 2)[0])
		out = append(out, entry{key: "build-backend", kind: kindScript, name: "build backend", purl: "-",
			text: b, what: "build-system", find: "build-backend", low: wellKnownBackends[root] ||
				root == "poetry" || root == "flit-core" || root == "pdm" || root == "hatchling"})
	}
	return out
}

// poetryTable reads a Poetry dependency table: name = "^1.2" or
// name = {version, git, path, url, …}.
func poetryTable(v any, group, keyPrefix string) []entry {
	t, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var out []entry
	for _, name := range sortedKeys(t) {
		if strings.EqualFold(name, "python") {
			continue
		}
		e := entry{key: keyPrefix + "poetry " + pyNormalize(name), name: name, group: group}
		switch d := t[name].(type) {
		case string:
			e.version = anyVersion(d)
		case map[string]any:
			e.version, _ = d["version"].(string)
			e.version = anyVersion(e.version)
			e.source = tableSource(d)
		case []any:
			e.version = "(several constraints)"
		}
		out = append(out, e)
	}
	return out
}

func anyVersion(v string) string {
	if strings.TrimSpace(v) == "*" {
		return ""
	}
	return v
}

// tableSource is the non-registry origin of a Poetry, Pipfile, uv or Cargo
// dependency table, "" for the registry.
func tableSource(d map[string]any) string {
	str := func(k string) string { s, _ := d[k].(string); return s }
	ref := ""
	for _, k := range []string{"rev", "tag", "branch", "ref"} {
		if s := str(k); s != "" {
			ref = " " + k + " " + s
			break
		}
	}
	switch {
	case str("git") != "":
		return "git " + str("git") + ref
	case str("github") != "":
		return "GitHub " + str("github") + ref
	case str("path") != "":
		return "local path " + str("path")
	case str("file") != "":
		return "local path " + str("file")
	case str("url") != "":
		return "URL " + str("url")
	case str("registry") != "":
		return "registry " + str("registry")
	case str("registry-index") != "":
		return "registry " + str("registry-index")
	}
	return ""
}

// sourceList reads [[source]]-style arrays of tables into registry entries.
func sourceList(v any, field string) []entry {
	list, _ := v.([]any)
	var out []entry
	for _, s := range list {
		t, _ := s.(map[string]any)
		u, _ := t[field].(string)
		if u == "" {
			continue
		}
		out = append(out, entry{key: "source " + u, kind: kindSource, text: u})
	}
	return out
}

func strList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// pypiIndex is the index every Pipfile names by default.
const pypiIndex = "https://pypi.org/simple"

func parsePipfile(data []byte) ([]entry, error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []entry
	for _, s := range sourceList(doc["source"], "url") {
		if strings.TrimSuffix(s.text, "/") != pypiIndex {
			out = append(out, s)
		}
	}
	for _, sec := range []struct{ name, group string }{{"packages", ""}, {"dev-packages", "dev"}} {
		t, _ := doc[sec.name].(map[string]any)
		for _, name := range sortedKeys(t) {
			e := entry{key: sec.name + " " + pyNormalize(name), name: name, group: sec.group}
			switch d := t[name].(type) {
			case string:
				e.version = anyVersion(d)
			case map[string]any:
				v, _ := d["version"].(string)
				e.version = anyVersion(v)
				e.source = tableSource(d)
				if idx, _ := d["index"].(string); idx != "" && e.source == "" && idx != "pypi" {
					e.source = "index " + idx
				}
			default:
				e.version = fmt.Sprint(d)
			}
			out = append(out, e)
		}
	}
	return out, nil
}
