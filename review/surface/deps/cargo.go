package deps

import (
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

var cargoDepTables = []struct{ table, group string }{
	{"dependencies", ""}, {"dev-dependencies", "dev"}, {"build-dependencies", "build"},
}

func parseCargo(data []byte) ([]entry, error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []entry
	tables := func(scope string, t map[string]any) {
		for _, dt := range cargoDepTables {
			out = append(out, cargoDeps(t[dt.table], dt.group, scope+dt.table+" ")...)
		}
	}
	tables("", doc)
	if targets, ok := doc["target"].(map[string]any); ok {
		for _, cfg := range sortedKeys(targets) {
			t, _ := targets[cfg].(map[string]any)
			tables("target "+cfg+" ", t)
		}
	}
	if ws, ok := doc["workspace"].(map[string]any); ok {
		out = append(out, cargoDeps(ws["dependencies"], "", "workspace ")...)
	}
	// [patch.<registry>] and [replace] swap a crate for another source
	// everywhere in the graph.
	if patch, ok := doc["patch"].(map[string]any); ok {
		for _, reg := range sortedKeys(patch) {
			for _, e := range cargoDeps(patch[reg], "", "patch "+reg+" ") {
				e.verb = "patches"
				if e.source == "" {
					e.source = "patched from " + reg
				}
				e.what = "patch"
				out = append(out, e)
			}
		}
	}
	for _, e := range cargoDeps(doc["replace"], "", "replace ") {
		e.verb, e.what = "replaces", "patch"
		if e.source == "" {
			e.source = "replaced crate " + e.version
		}
		out = append(out, e)
	}
	if pkg, ok := doc["package"].(map[string]any); ok {
		if b, ok := pkg["build"].(string); ok && b != "build.rs" {
			out = append(out, entry{key: "package build", kind: kindScript, name: "build script", purl: "-",
				text: b, what: "build-script", find: "build"})
		}
	}
	return out, nil
}

// cargoDeps reads name = "1.0" or name = { version, git, path, … }.
func cargoDeps(v any, group, keyPrefix string) []entry {
	t, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var out []entry
	for _, name := range sortedKeys(t) {
		e := entry{key: keyPrefix + name, name: name, group: group, find: name}
		switch d := t[name].(type) {
		case string:
			e.version = d
		case map[string]any:
			e.version, _ = d["version"].(string)
			e.source = tableSource(d)
			if ws, _ := d["workspace"].(bool); ws && !strings.HasPrefix(keyPrefix, "workspace ") {
				// serde = { workspace = true }: the workspace root declares
				// the crate; a member using it takes in nothing new.
				e.version = "workspace:"
			}
			if pkg, _ := d["package"].(string); pkg != "" && pkg != name {
				e.purl = pkg // renamed: the crate fetched is the package, not the key
			}
		}
		out = append(out, e)
	}
	return out
}

// gemLine matches `gem "name", …` with or without parentheses.
var gemLine = regexp.MustCompile(`^gem\s*\(?\s*["']([^"']+)["']\s*,?\s*(.*?)\)?$`)

var gemBlock = regexp.MustCompile(`^(group|git|github|path|source|platforms?)\b\s*\(?\s*(.*?)\)?\s+do\b`)

var gemSource = regexp.MustCompile(`^source\s*\(?\s*["']([^"']+)["']`)

// parseGemfile reads a Gemfile line by line: gem declarations, the blocks
// that scope them (group, git, path, source) and the sources.
func parseGemfile(data []byte) ([]entry, error) {
	type block struct{ kind, arg string }
	var stack []block
	var out []entry
	for i, raw := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(stripRubyComment(strings.TrimRight(raw, "\r")))
		if l == "" {
			continue
		}
		if m := gemBlock.FindStringSubmatch(l); m != nil {
			stack = append(stack, block{m[1], strings.Trim(strings.TrimSpace(m[2]), `"'`)})
			if m[1] == "source" {
				out = append(out, gemSourceEntry(m[2], i+1))
			}
			continue
		}
		if l == "end" || strings.HasPrefix(l, "end ") {
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if strings.HasSuffix(l, " do") || strings.Contains(l, " do |") {
			stack = append(stack, block{"other", ""}) // keep `end`s balanced
			continue
		}
		if m := gemSource.FindStringSubmatch(l); m != nil {
			out = append(out, gemSourceEntry(m[1], i+1))
			continue
		}
		m := gemLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		e := entry{key: "gem " + m[1], name: m[1], line: i + 1}
		var versions []string
		opts := map[string]string{}
		for _, arg := range splitArgs(m[2]) {
			k, v, isOpt := gemOption(arg)
			if isOpt {
				opts[k] = v
				continue
			}
			versions = append(versions, strings.Trim(arg, `"'`))
		}
		e.version = strings.Join(versions, ", ")
		groups := opts["group"] + opts["groups"]
		for _, b := range stack {
			switch b.kind {
			case "group":
				groups += b.arg
			case "git", "github", "path":
				if _, set := opts[b.kind]; !set {
					opts[b.kind] = b.arg
				}
			case "source":
				if _, set := opts["source"]; !set {
					opts["source"] = b.arg
				}
			}
		}
		if groups != "" && !strings.Contains(groups, "production") && !strings.Contains(groups, "default") &&
			(strings.Contains(groups, "development") || strings.Contains(groups, "test")) {
			e.group = "dev"
		}
		ref := ""
		for _, k := range []string{"ref", "tag", "branch"} {
			if opts[k] != "" {
				ref = " " + k + " " + opts[k]
				break
			}
		}
		switch {
		case opts["git"] != "":
			e.source = "git " + opts["git"] + ref
		case opts["github"] != "":
			e.source = "GitHub " + opts["github"] + ref
		case opts["path"] != "":
			e.source = "local path " + opts["path"]
		case opts["source"] != "":
			e.source = "source " + opts["source"]
		}
		out = append(out, e)
	}
	return out, nil
}

func gemSourceEntry(arg string, line int) entry {
	u := strings.Trim(strings.TrimSpace(arg), `"'()`)
	return entry{key: "source " + u, kind: kindSource, text: u, line: line, low: u == "https://rubygems.org"}
}

// gemOption reads `key: value` and `:key => value` arguments.
func gemOption(arg string) (string, string, bool) {
	arg = strings.TrimSpace(arg)
	if k, v, ok := strings.Cut(arg, "=>"); ok {
		return strings.TrimPrefix(strings.TrimSpace(k), ":"), unquoteRuby(v), true
	}
	if k, v, ok := strings.Cut(arg, ": "); ok && !strings.ContainsAny(k, `"' `) {
		return k, unquoteRuby(v), true
	}
	if strings.HasSuffix(arg, ":") {
		return strings.TrimSuffix(arg, ":"), "", true
	}
	return "", "", false
}

func unquoteRuby(v string) string {
	v = strings.TrimSpace(v)
	v = strings.Trim(v, `[]`)
	return strings.Trim(strings.TrimPrefix(v, ":"), `"' `)
}

// splitArgs splits on commas outside quotes and brackets.
func splitArgs(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '(' || c == '{':
			depth++
		case c == ']' || c == ')' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// stripRubyComment cuts a # comment that is not inside a string.
func stripRubyComment(l string) string {
	var quote byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return l[:i]
		}
	}
	return l
}
