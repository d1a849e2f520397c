package deps

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// Lockfiles and manifests beyond the package managers' own: Cargo.lock,
// uv.lock, poetry.lock, Gemfile.lock, go.sum, Gradle version catalogs,
// Compose `image:` and Helm values image tags. A lockfile-only bump is a
// low finding; a new package or a downgrade is not.
var (
	ecoCargoLock  = &ecosystem{id: "cargo-lock", purl: "cargo", label: "Cargo.lock", lock: true, parse: parseTOMLPackages}
	ecoUVLock     = &ecosystem{id: "uv-lock", purl: "pypi", label: "uv.lock", lock: true, parse: parseTOMLPackages}
	ecoPoetryLock = &ecosystem{id: "poetry-lock", purl: "pypi", label: "poetry.lock", lock: true, parse: parseTOMLPackages}
	ecoGemLock    = &ecosystem{id: "gem-lock", purl: "gem", label: "Gemfile.lock", lock: true, parse: parseGemfileLock}
	ecoGoSum      = &ecosystem{id: "gosum-lock", purl: "golang", label: "go.sum", lock: true, parse: parseGoSum}
	ecoCatalog    = &ecosystem{id: "gradle-catalog", purl: "maven", label: "Gradle version catalog", parse: parseVersionCatalog}
	ecoCompose    = &ecosystem{id: "compose", purl: "docker", label: "Compose file", parse: parseComposeImages}
	ecoHelmValues = &ecosystem{id: "helm-values", purl: "docker", label: "Helm values", parse: parseHelmValues}
)

// moreEcosystems picks the kinds above from the path alone.
func moreEcosystems(p string) *ecosystem {
	base := path.Base(p)
	lb := strings.ToLower(base)
	switch {
	case base == "Cargo.lock":
		return ecoCargoLock
	case base == "uv.lock":
		return ecoUVLock
	case base == "poetry.lock":
		return ecoPoetryLock
	case base == "Gemfile.lock", base == "gems.locked":
		return ecoGemLock
	case base == "go.sum":
		return ecoGoSum
	case strings.HasSuffix(lb, ".versions.toml"):
		return ecoCatalog
	case isCompose(lb):
		return ecoCompose
	case isHelmValues(p):
		return ecoHelmValues
	}
	return nil
}

func isCompose(lb string) bool {
	if !strings.HasSuffix(lb, ".yml") && !strings.HasSuffix(lb, ".yaml") {
		return false
	}
	return strings.HasPrefix(lb, "docker-compose") || strings.HasPrefix(lb, "compose.") || strings.HasPrefix(lb, "compose-")
}

func isHelmValues(p string) bool {
	lb := strings.ToLower(path.Base(p))
	if !strings.HasPrefix(lb, "values") || (!strings.HasSuffix(lb, ".yaml") && !strings.HasSuffix(lb, ".yml")) {
		return false
	}
	return strings.Contains(p, "chart") || strings.Contains(p, "helm") || strings.Contains(p, "deploy") || path.Dir(p) == "."
}

// parseTOMLPackages reads the [[package]] array that Cargo.lock, uv.lock
// and poetry.lock share: name, version and where it comes from.
func parseTOMLPackages(data []byte) ([]entry, error) {
	var doc struct {
		Package []map[string]any `toml:"package"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []entry
	seen := map[string]int{}
	for _, p := range doc.Package {
		name, _ := p["name"].(string)
		version, _ := p["version"].(string)
		if name == "" {
			continue
		}
		key := "pkg " + name
		if seen[name]++; seen[name] > 1 {
			key = fmt.Sprintf("pkg %s@%s", name, version)
		}
		e := entry{key: key, name: name, version: version, low: true, find: `name = "` + name + `"`}
		e.source = lockSource(p["source"])
		if e.source == "" {
			e.source = lockSource(p["git"])
		}
		out = append(out, e)
	}
	return out, nil
}

// lockSource says why a locked package does not come from the registry: a
// git repository, a local path or a direct URL; "" for a registry.
func lockSource(v any) string {
	switch s := v.(type) {
	case string: // Cargo.lock: "registry+https://…" or "git+https://…#sha"
		switch {
		case strings.HasPrefix(s, "git+"):
			return "git " + strings.TrimPrefix(s, "git+")
		case strings.HasPrefix(s, "path+"):
			return "local path " + strings.TrimPrefix(s, "path+")
		case strings.HasPrefix(s, "registry+") && !strings.Contains(s, "github.com/rust-lang/crates.io-index") && !strings.Contains(s, "index.crates.io"):
			return "registry " + strings.TrimPrefix(s, "registry+")
		}
	case map[string]any: // uv.lock: {registry=…} {git=…} {path=…} {url=…}; poetry: {type, url}
		for _, k := range []string{"git", "path", "directory", "editable", "url"} {
			if u, ok := s[k].(string); ok {
				if k == "editable" || k == "directory" {
					k = "path"
				}
				return k + " " + u
			}
		}
		if t, _ := s["type"].(string); t == "git" || t == "directory" || t == "file" || t == "url" {
			u, _ := s["url"].(string)
			return t + " " + u
		}
		if r, ok := s["registry"].(string); ok && !strings.Contains(r, "pypi.org") {
			return "registry " + r
		}
		if u, ok := s["url"].(string); ok && !strings.Contains(u, "pypi.org") {
			return "registry " + u
		}
	}
	return ""
}

// parseGemfileLock reads the specs of each GEM, GIT and PATH section; only
// the four-space entries are locked gems (six spaces are their needs).
func parseGemfileLock(data []byte) ([]entry, error) {
	var out []entry
	section, remote := "", ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimRight(sc.Text(), "\r")
		if l != "" && l[0] != ' ' {
			section, remote = strings.TrimSpace(l), ""
			continue
		}
		if v, ok := strings.CutPrefix(l, "  remote: "); ok {
			remote = strings.TrimSpace(v)
			continue
		}
		if !strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "     ") {
			continue
		}
		if section != "GEM" && section != "GIT" && section != "PATH" {
			continue
		}
		name, ver, _ := strings.Cut(strings.TrimSpace(l), " ")
		ver = strings.Trim(ver, "()")
		if i := strings.IndexByte(ver, '-'); i > 0 && strings.ContainsAny(ver[i:], "abcdefghijklmnopqrstuvwxyz") {
			ver = ver[:i] // platform suffix: nokogiri (1.16.0-x86_64-linux)
		}
		e := entry{key: "gem " + name, name: name, version: ver, low: true, line: n, find: name + " ("}
		switch section {
		case "GIT":
			e.source = "git " + remote
		case "PATH":
			e.source = "local path " + remote
		default:
			if remote != "" && !strings.Contains(remote, "rubygems.org") {
				e.source = "registry " + remote
			}
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// parseGoSum reads go.sum: one entry per module at its highest version
// (the /go.mod lines only prove the graph was walked, not that the code is
// built; older versions linger until go mod tidy).
func parseGoSum(data []byte) ([]entry, error) {
	at := map[string]int{}
	var out []entry
	for i, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) != 3 || strings.HasSuffix(f[1], "/go.mod") {
			continue
		}
		e := entry{key: "mod " + f[0], name: f[0], version: f[1], low: true, line: i + 1, find: f[0] + " " + f[1]}
		if j, ok := at[f[0]]; ok {
			if c, ok := compareVersions(strings.TrimPrefix(f[1], "v"), strings.TrimPrefix(out[j].version, "v")); ok && c > 0 {
				out[j] = e
			}
			continue
		}
		at[f[0]] = len(out)
		out = append(out, e)
	}
	// Keyed as go.mod keys them: one major version of a module is the
	// module, so a move to the next major is an upgrade here too.
	majors := map[string]int{}
	for _, e := range out {
		majors[majorless(e.name)]++
	}
	for i := range out {
		if base := majorless(out[i].name); majors[base] == 1 {
			out[i].key = "mod " + base
		}
	}
	return out, nil
}

// parseVersionCatalog reads libs.versions.toml: libraries and plugins with
// their versions, references resolved from [versions].
func parseVersionCatalog(data []byte) ([]entry, error) {
	var doc struct {
		Versions  map[string]any `toml:"versions"`
		Libraries map[string]any `toml:"libraries"`
		Plugins   map[string]any `toml:"plugins"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	version := func(v any) string {
		switch x := v.(type) {
		case string:
			return x
		case map[string]any:
			if r, ok := x["ref"].(string); ok {
				s, _ := doc.Versions[r].(string)
				return s
			}
			for _, k := range []string{"strictly", "require", "prefer"} {
				if s, ok := x[k].(string); ok {
					return s
				}
			}
		}
		return ""
	}
	var out []entry
	add := func(kind, alias string, v any) {
		var module, ver string
		switch x := v.(type) {
		case string: // "group:artifact:1.2.3"
			parts := strings.Split(x, ":")
			module = strings.Join(parts[:min(2, len(parts))], ":")
			if len(parts) > 2 {
				ver = parts[2]
			}
		case map[string]any:
			if m, ok := x["module"].(string); ok {
				module = m
			} else if id, ok := x["id"].(string); ok {
				module = id
			} else {
				g, _ := x["group"].(string)
				n, _ := x["name"].(string)
				module = g + ":" + n
			}
			ver = version(x["version"])
		}
		if module == "" || module == ":" {
			return
		}
		e := entry{key: kind + " " + alias, name: module, version: ver, find: alias}
		if kind == "plugin" {
			e.plugin, e.group = true, "build"
		}
		out = append(out, e)
	}
	for _, a := range sortedKeys(doc.Libraries) {
		add("library", a, doc.Libraries[a])
	}
	for _, a := range sortedKeys(doc.Plugins) {
		add("plugin", a, doc.Plugins[a])
	}
	return out, nil
}

// imageEntry is one container image reference as a dependency.
func imageEntry(key, image, find string) entry {
	name, tag, digest := splitImage(image)
	e := entry{key: key, name: name, version: tag, pin: digest, find: find, verb: "adds image"}
	switch {
	case digest != "":
		e.low = true
	case tag == "" || tag == "latest":
		e.version, e.source, e.what = "latest", mutableTag, "unpinned"
	}
	return e
}

// parseComposeImages reads each service's `image:` of a Compose file.
func parseComposeImages(data []byte) ([]entry, error) {
	var doc struct {
		Services map[string]struct {
			Image string `yaml:"image"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []entry
	for _, s := range sortedKeys(doc.Services) {
		img := doc.Services[s].Image
		if img == "" || strings.Contains(img, "${") {
			continue
		}
		out = append(out, imageEntry("service "+s, img, img))
	}
	return out, nil
}

// parseHelmValues reads image references in a chart's values: a mapping
// with repository (and tag, digest), or an image string, at any depth.
func parseHelmValues(data []byte) ([]entry, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []entry
	var walk func(at string, v any, depth int)
	walk = func(at string, v any, depth int) {
		if depth > 32 {
			return
		}
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		for _, k := range sortedKeys(m) {
			child := m[k]
			if k == "image" {
				switch x := child.(type) {
				case string:
					if x != "" {
						out = append(out, imageEntry("image "+at, x, x))
					}
					continue
				case map[string]any:
					repo, _ := x["repository"].(string)
					if reg, _ := x["registry"].(string); reg != "" && repo != "" {
						repo = reg + "/" + repo
					}
					if repo != "" {
						img := repo
						if tag := fmt.Sprint(x["tag"]); x["tag"] != nil && tag != "" {
							img += ":" + tag
						}
						if d, _ := x["digest"].(string); d != "" {
							img += "@" + d
						}
						find, _ := x["repository"].(string)
						out = append(out, imageEntry("image "+at, img, find))
						continue
					}
				}
			}
			walk(at+"."+k, child, depth+1)
		}
	}
	walk("", doc, 0)
	return out, nil
}
