package deps

import (
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// npmLifecycle are the scripts npm runs on `npm install` of the package or
// of a project that depends on it.
var npmLifecycle = []string{"preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"}

var npmDepGroups = []struct{ field, group string }{
	{"dependencies", ""}, {"devDependencies", "dev"}, {"peerDependencies", "peer"},
	{"optionalDependencies", "optional"}, {"overrides", "override"}, {"resolutions", "override"},
}

func parsePackageJSON(data []byte) ([]entry, error) {
	var pkg map[string]json.RawMessage
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, err
	}
	var out []entry
	for _, g := range npmDepGroups {
		var m map[string]any
		if json.Unmarshal(pkg[g.field], &m) != nil {
			continue
		}
		for _, name := range sortedKeys(m) {
			spec, ok := m[name].(string)
			if !ok {
				continue // nested overrides: a parent's own constraints
			}
			e := entry{key: g.field + " " + name, name: name, version: spec, group: g.group,
				find: `"` + name + `"`, source: npmSource(spec)}
			if e.source != "" {
				e.version = ""
			}
			out = append(out, e)
		}
	}
	for _, field := range []string{"bundledDependencies", "bundleDependencies"} {
		var names []string
		if json.Unmarshal(pkg[field], &names) != nil {
			continue
		}
		for _, n := range names {
			out = append(out, entry{key: "bundled " + n, name: n, verb: "bundles", group: "bundled",
				low: true, find: `"` + n + `"`})
		}
	}
	var scripts map[string]any
	if json.Unmarshal(pkg["scripts"], &scripts) == nil {
		for _, s := range npmLifecycle {
			cmd, ok := scripts[s].(string)
			if !ok {
				continue
			}
			out = append(out, entry{key: "script " + s, kind: kindScript, name: s + " script", purl: "-",
				text: cmd, what: "lifecycle-script", find: `"` + s + `"`, token: s})
		}
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// githubShorthand is npm's "user/repo" or "user/repo#ref" spec.
var githubShorthand = regexp.MustCompile(`^[A-Za-z0-9][\w.-]*/[\w.-]+(#\S*)?$`)

// npmSource says where a non-registry spec fetches from, "" for a registry
// range, tag or alias.
func npmSource(spec string) string {
	s := strings.TrimSpace(spec)
	l := strings.ToLower(s)
	switch {
	case strings.HasPrefix(l, "git+"), strings.HasPrefix(l, "git:"), strings.HasPrefix(l, "github:"),
		strings.HasPrefix(l, "gitlab:"), strings.HasPrefix(l, "bitbucket:"), strings.HasPrefix(l, "gist:"):
		return "git " + s
	case strings.HasPrefix(l, "http://"), strings.HasPrefix(l, "https://"):
		return "URL " + s
	case strings.HasPrefix(l, "file:"), strings.HasPrefix(l, "link:"), strings.HasPrefix(l, "portal:"):
		return "local path " + s
	case githubShorthand.MatchString(s):
		return "GitHub " + s
	}
	return ""
}

// npmRegistries are the hosts a resolved tarball normally comes from.
var npmRegistries = map[string]bool{"registry.npmjs.org": true, "registry.yarnpkg.com": true, "registry.npmjs.com": true}

// resolvedSource says why a lockfile's resolved URL is not the public
// registry, "" when it is.
func resolvedSource(resolved string) string {
	r := strings.TrimSpace(resolved)
	if r == "" {
		return ""
	}
	l := strings.ToLower(r)
	switch {
	case strings.HasPrefix(l, "git+"), strings.HasPrefix(l, "git:"), strings.HasPrefix(l, "github:"), strings.HasPrefix(l, "ssh:"):
		return "git " + r
	case strings.HasPrefix(l, "file:"), strings.HasPrefix(l, "link:"):
		return "local path " + r
	}
	u, err := url.Parse(r)
	if err != nil || u.Host == "" {
		return ""
	}
	if npmRegistries[strings.ToLower(u.Hostname())] && u.Scheme == "https" {
		return ""
	}
	return "host " + u.Scheme + "://" + u.Host
}

type npmLockPackage struct {
	Version          string                    `json:"version"`
	Resolved         string                    `json:"resolved"`
	HasInstallScript bool                      `json:"hasInstallScript"`
	Dev              bool                      `json:"dev"`
	Link             bool                      `json:"link"`
	Dependencies     map[string]npmLockPackage `json:"dependencies"` // lockfile v1 nesting
}

func parsePackageLock(data []byte) ([]entry, error) {
	var lf struct {
		Packages     map[string]json.RawMessage `json:"packages"`
		Dependencies map[string]json.RawMessage `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &lf); err != nil {
		return nil, err
	}
	var out []entry
	add := func(key, name string, p npmLockPackage) {
		e := entry{key: key, name: name, version: p.Version, find: `"` + key + `"`, low: true,
			source: resolvedSource(p.Resolved)}
		if p.Dev {
			e.group = "dev"
		}
		out = append(out, e)
		if p.HasInstallScript {
			out = append(out, entry{key: "install " + key, kind: kindScript, name: name, version: p.Version,
				find: `"` + key + `"`, what: "install-script", text: "hasInstallScript",
				detail: "locks " + name + " " + p.Version + ", which runs an install script (hasInstallScript)"})
		}
	}
	if len(lf.Packages) > 0 {
		// Lockfiles run to tens of thousands of lines: find every package's
		// line in one pass instead of searching per finding.
		lines := map[string]int{}
		for i, l := range strings.Split(string(data), "\n") {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, `"node_modules/`) {
				if k, _, ok := strings.Cut(t[1:], `"`); ok {
					if _, dup := lines[k]; !dup {
						lines[k] = i + 1
					}
				}
			}
		}
		for _, key := range sortedKeys(lf.Packages) {
			i := strings.LastIndex(key, "node_modules/")
			if i < 0 {
				continue // the root project and workspace folders are the repository's own code
			}
			var p npmLockPackage
			if json.Unmarshal(lf.Packages[key], &p) != nil || p.Link {
				continue
			}
			n := len(out)
			add(key, key[i+len("node_modules/"):], p)
			for j := n; j < len(out); j++ {
				out[j].line = lines[key]
			}
		}
		return out, nil
	}
	// Lockfile v1: a tree of "dependencies" keyed by name.
	var walk func(prefix string, deps map[string]json.RawMessage, depth int)
	walk = func(prefix string, deps map[string]json.RawMessage, depth int) {
		if depth > 64 {
			return
		}
		for _, name := range sortedKeys(deps) {
			var p npmLockPackage
			if json.Unmarshal(deps[name], &p) != nil {
				continue
			}
			key := prefix + name
			e := len(out)
			add(key, name, p)
			if e < len(out) {
				out[e].find = `"` + name + `"`
			}
			var nested struct {
				Dependencies map[string]json.RawMessage `json:"dependencies"`
			}
			if json.Unmarshal(deps[name], &nested) == nil && len(nested.Dependencies) > 0 {
				walk(key+"/", nested.Dependencies, depth+1)
			}
		}
	}
	walk("", lf.Dependencies, 0)
	return out, nil
}

// lockAgg gathers every locked version of one package: lockfiles hold
// several side by side, and a change is a change of that set.
type lockAgg struct {
	name     string
	versions []string
	source   string
	build    bool
	line     int
	vline    int
}

func aggEntries(order []string, aggs map[string]*lockAgg, what string) []entry {
	var out []entry
	for _, name := range order {
		a := aggs[name]
		sort.Strings(a.versions)
		vs := uniq(a.versions)
		e := entry{key: name, name: name, version: strings.Join(vs, ", "), source: a.source,
			low: true, line: a.line}
		if len(vs) == 1 {
			e.vline = a.vline
		}
		out = append(out, e)
		if a.build {
			out = append(out, entry{key: "install " + name, kind: kindScript, name: name, version: e.version,
				line: a.line, what: what, text: "requiresBuild",
				detail: "locks " + name + " " + e.version + ", which runs an install script"})
		}
	}
	return out
}

func uniq(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// parseYarnLock reads yarn v1 and berry lockfiles line by line: both put a
// package's specs on an unindented header and its fields two spaces in.
func parseYarnLock(data []byte) ([]entry, error) {
	aggs := map[string]*lockAgg{}
	var order []string
	var cur *lockAgg
	firstField := false
	for i, raw := range strings.Split(string(data), "\n") {
		l := strings.TrimRight(raw, "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if l[0] != ' ' {
			cur = nil
			header := strings.TrimSuffix(l, ":")
			if header == l || header == "__metadata" {
				continue
			}
			spec := strings.Trim(strings.TrimSpace(strings.Split(header, ",")[0]), `"`)
			name := specName(spec)
			if name == "" {
				continue
			}
			if aggs[name] == nil {
				aggs[name] = &lockAgg{name: name, line: i + 1}
				order = append(order, name)
			}
			cur, firstField = aggs[name], len(aggs[name].versions) == 0
			continue
		}
		if cur == nil || strings.HasPrefix(l, "   ") {
			continue
		}
		t := strings.TrimSpace(l)
		k, v, _ := strings.Cut(t, " ")
		k = strings.TrimSuffix(k, ":")
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch k {
		case "version":
			cur.versions = append(cur.versions, v)
			if firstField {
				cur.vline = i + 1
			}
		case "resolved":
			if s := resolvedSource(v); s != "" {
				cur.source = s
			}
		case "resolution":
			// berry: "name@npm:1.2.3" is the registry; anything else names its protocol.
			if _, ref, ok := strings.Cut(v[min(1, len(v)):], "@"); ok && !strings.HasPrefix(ref, "npm:") &&
				!strings.HasPrefix(ref, "workspace:") && !strings.HasPrefix(ref, "patch:") {
				if s := npmSource(ref); s != "" {
					cur.source = s
				}
			}
		}
	}
	return aggEntries(order, aggs, "install-script"), nil
}

// specName is the package part of "name@range" or "@scope/name@range".
func specName(spec string) string {
	if i := strings.LastIndex(spec, "@"); i > 0 {
		return spec[:i]
	}
	if strings.HasPrefix(spec, "@") {
		return ""
	}
	return spec
}

func parsePNPMLock(data []byte) ([]entry, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	pkgs := yamlGet(yamlDoc(&root), "packages")
	if pkgs == nil || pkgs.Kind != yaml.MappingNode {
		return nil, nil
	}
	aggs := map[string]*lockAgg{}
	var order []string
	for i := 0; i+1 < len(pkgs.Content); i += 2 {
		k, v := pkgs.Content[i], pkgs.Content[i+1]
		name, version := pnpmKey(k.Value)
		if name == "" {
			continue
		}
		a := aggs[name]
		if a == nil {
			a = &lockAgg{name: name, line: k.Line, vline: k.Line}
			aggs[name] = a
			order = append(order, name)
		}
		a.versions = append(a.versions, version)
		if b := yamlGet(v, "requiresBuild"); b != nil && b.Value == "true" {
			a.build = true
		}
		if b := yamlGet(v, "hasInstallScript"); b != nil && b.Value == "true" {
			a.build = true
		}
		if res := yamlGet(v, "resolution"); res != nil {
			if t := yamlGet(res, "tarball"); t != nil {
				if s := resolvedSource(t.Value); s != "" {
					a.source = s
				}
			}
			if r := yamlGet(res, "repo"); r != nil {
				a.source = "git " + r.Value
			}
			if d := yamlGet(res, "directory"); d != nil {
				a.source = "local path " + d.Value
			}
		}
	}
	return aggEntries(order, aggs, "install-script"), nil
}

// pnpmKey splits "/@scope/name@1.2.3(peer@1)" (v6+), "name@1.2.3" (v9) and
// "/name/1.2.3_peer" (v5) into name and version.
func pnpmKey(k string) (string, string) {
	s := strings.TrimPrefix(k, "/")
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndex(s, "@"); i > 0 {
		return s[:i], s[i+1:]
	}
	if i := strings.LastIndex(s, "/"); i > 0 {
		v := s[i+1:]
		if j := strings.IndexByte(v, '_'); j >= 0 {
			v = v[:j]
		}
		return s[:i], v
	}
	return "", ""
}

func yamlDoc(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	return n
}

// yamlGet is a mapping's value for key, nil when absent or not a mapping.
func yamlGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
