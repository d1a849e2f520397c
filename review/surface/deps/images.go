package deps

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vouch-review/vouch/review/surface/infra/dockerfile"
)

// composerPlatform are requirements on PHP itself, not packages.
func composerPlatform(name string) bool {
	l := strings.ToLower(name)
	return l == "php" || l == "php-64bit" || l == "hhvm" || l == "composer" || strings.HasPrefix(l, "ext-") ||
		strings.HasPrefix(l, "lib-") || l == "composer-plugin-api" || l == "composer-runtime-api"
}

// composerEvents are the script hooks Composer runs during install/update.
var composerEvents = []string{
	"pre-install-cmd", "post-install-cmd", "pre-update-cmd", "post-update-cmd", "pre-autoload-dump",
	"post-autoload-dump", "post-root-package-install", "post-create-project-cmd", "pre-package-install",
	"post-package-install", "pre-package-update", "post-package-update", "pre-dependencies-solving",
	"post-dependencies-solving",
}

func parseComposer(data []byte) ([]entry, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []entry
	for _, sec := range []struct{ field, group string }{{"require", ""}, {"require-dev", "dev"}} {
		var m map[string]any
		if json.Unmarshal(doc[sec.field], &m) != nil {
			continue
		}
		for _, name := range sortedKeys(m) {
			v, ok := m[name].(string)
			if !ok || composerPlatform(name) {
				continue
			}
			out = append(out, entry{key: sec.field + " " + strings.ToLower(name), name: name,
				version: anyVersion(v), group: sec.group, find: `"` + name + `"`})
		}
	}
	var repos []any
	if json.Unmarshal(doc["repositories"], &repos) != nil {
		var m map[string]any
		if json.Unmarshal(doc["repositories"], &m) == nil {
			for _, k := range sortedKeys(m) {
				repos = append(repos, m[k])
			}
		}
	}
	for _, r := range repos {
		t, _ := r.(map[string]any)
		u, _ := t["url"].(string)
		typ, _ := t["type"].(string)
		if u == "" {
			continue
		}
		out = append(out, entry{key: "repository " + u, kind: kindSource, text: strings.TrimSpace(typ + " " + u),
			find: u, low: strings.Contains(u, "repo.packagist.org")})
	}
	var scripts map[string]any
	if json.Unmarshal(doc["scripts"], &scripts) == nil {
		for _, ev := range composerEvents {
			var cmds []string
			switch v := scripts[ev].(type) {
			case string:
				cmds = []string{v}
			case []any:
				cmds = strList(v)
			default:
				continue
			}
			out = append(out, entry{key: "script " + ev, kind: kindScript, name: ev + " script", purl: "-",
				text: strings.Join(cmds, "; "), what: "install-script", find: `"` + ev + `"`, token: ev})
		}
	}
	var cfg struct {
		AllowPlugins map[string]any `json:"allow-plugins"`
	}
	if json.Unmarshal(doc["config"], &cfg) == nil {
		for _, name := range sortedKeys(cfg.AllowPlugins) {
			if b, _ := cfg.AllowPlugins[name].(bool); b {
				out = append(out, entry{key: "plugin " + name, kind: kindScript, name: name, what: "plugin",
					text: "allowed", find: `"` + name + `"`,
					detail: "allows Composer plugin " + name + " to run code during install"})
			}
		}
	}
	return out, nil
}

// mutableTag explains a source that can change under the same reference.
const mutableTag = "a mutable tag (no digest)"

var dockerVar = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}?`)

// parseDockerfile reads FROM (and COPY --from=image) with the ARG defaults
// that fill them in, through the one Dockerfile parser.
func parseDockerfile(data []byte) ([]entry, error) {
	var out []entry
	args := map[string]string{}
	stages := map[string]bool{}
	count := map[string]int{}
	for _, in := range dockerfile.Parse(data).Instructions {
		start := in.Line
		f := strings.Fields(in.Args)
		var image string
		switch in.Cmd {
		case "ARG":
			for _, a := range f {
				k, v, _ := strings.Cut(a, "=")
				args[k] = strings.Trim(v, `"'`)
			}
			continue
		case "FROM":
			if len(f) == 0 {
				continue
			}
			image = f[0]
			if len(f) >= 3 && strings.EqualFold(f[1], "as") {
				stages[strings.ToLower(f[2])] = true
			}
		case "COPY", "ADD":
			if v, ok := in.Flag("from"); ok && strings.ContainsAny(v, ":/") {
				image = v
			}
		}
		if image == "" {
			continue
		}
		image = dockerVar.ReplaceAllStringFunc(image, func(s string) string {
			m := dockerVar.FindStringSubmatch(s)
			if v, ok := args[m[1]]; ok && v != "" {
				return v
			}
			return m[2]
		})
		if strings.EqualFold(image, "scratch") || stages[strings.ToLower(image)] || image == "" {
			continue
		}
		name, tag, digest := splitImage(image)
		count[name]++
		e := entry{key: "image " + name + "#" + strconv.Itoa(count[name]), name: name, version: tag, pin: digest,
			line: start, find: name, verb: "adds base image"}
		switch {
		case digest != "":
			e.low = true
		case tag == "" || tag == "latest":
			e.version, e.source, e.what = "latest", mutableTag, "unpinned"
		}
		out = append(out, e)
	}
	return out, nil
}

// splitImage splits "registry:5000/ns/name:tag@sha256:…"; a colon before
// the last slash is a registry port, not a tag.
func splitImage(image string) (name, tag, digest string) {
	name = image
	if i := strings.Index(name, "@"); i >= 0 {
		name, digest = name[:i], name[i+1:]
	}
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	return name, tag, digest
}

var fullSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// parseWorkflow finds every `uses:` of a workflow or composite action.
func parseWorkflow(data []byte) ([]entry, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	var out []entry
	count := map[string]int{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 100 {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "uses" && v.Kind == yaml.ScalarNode {
					if e, ok := actionEntry(v.Value, v.LineComment, v.Line); ok {
						count[e.name]++
						e.key = "uses " + e.name + "#" + strconv.Itoa(count[e.name])
						out = append(out, e)
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(&root, 0)
	return out, nil
}

func actionEntry(uses, comment string, line int) (entry, bool) {
	v := strings.TrimSpace(uses)
	if v == "" || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.Contains(v, "${{") {
		return entry{}, false // local actions are reviewed as the repository's own code
	}
	if img, ok := strings.CutPrefix(v, "docker://"); ok {
		name, tag, digest := splitImage(img)
		e := entry{name: "docker://" + name, purl: "-", version: tag, pin: digest, line: line, find: name}
		switch {
		case digest != "":
			e.low = true
		case tag == "" || tag == "latest":
			e.version, e.source, e.what = "latest", mutableTag, "unpinned"
		}
		return e, true
	}
	name, ref, _ := strings.Cut(v, "@")
	owner, _, _ := strings.Cut(name, "/")
	e := entry{name: name, version: ref, line: line, find: name, detail: ref}
	ver := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(comment), "#"))
	switch {
	case fullSHA.MatchString(ref):
		e.pin, e.low = ref, true
		e.version = ver
		if fv := strings.Fields(ver); len(fv) > 0 {
			e.version = strings.TrimPrefix(fv[0], "tag=")
			// "# https://github.com/o/a/releases/tag/v4.4.0" names the
			// version by its release page.
			if i := strings.LastIndex(e.version, "/tag/"); i >= 0 && strings.Contains(e.version, "://") {
				e.version = e.version[i+len("/tag/"):]
			}
		}
		if e.version == "" {
			e.version = short(ref)
		}
		e.detail = e.version + " (pinned to " + short(ref) + ")"
	case owner == "actions" || owner == "github":
		// GitHub's own actions: a moving tag, but from the platform itself,
		// which runs the workflow anyway: a routine addition.
		e.low = true
	default:
		e.source, e.what = "a mutable ref (not a full commit sha)", "unpinned"
		e.detail = "@" + ref + " (third-party, not pinned to a commit sha)"
		if ref == "" {
			e.detail = "(third-party, no ref)"
		}
	}
	return e, true
}

func parseChart(data []byte) ([]entry, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	deps := yamlGet(yamlDoc(&root), "dependencies")
	if deps == nil || deps.Kind != yaml.SequenceNode {
		return nil, nil
	}
	var out []entry
	for _, d := range deps.Content {
		str := func(k string) (string, int) {
			if n := yamlGet(d, k); n != nil && n.Kind == yaml.ScalarNode {
				return n.Value, n.Line
			}
			return "", 0
		}
		name, line := str("name")
		if name == "" {
			continue
		}
		version, vline := str("version")
		repo, _ := str("repository")
		alias, _ := str("alias")
		key := name
		if alias != "" {
			key = alias
		}
		e := entry{key: "chart " + key, name: name, version: version, line: line, vline: vline, find: name}
		l := strings.ToLower(repo)
		switch {
		case strings.HasPrefix(l, "http://"):
			e.source = "plain-HTTP repository " + repo
		case repo != "" && !strings.HasPrefix(l, "file://") && !strings.HasPrefix(repo, "@") && !strings.HasPrefix(l, "alias:"):
			e.detail = strings.TrimSpace(version + " from " + repo)
			// A change of repository re-sources the chart; keep it visible.
			e.text = repo
		}
		out = append(out, e)
	}
	return out, nil
}
