package infra

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlDoc is one document of a YAML stream; its node lines are file lines.
type yamlDoc struct {
	root *yaml.Node // the document's top value
}

// parseYAMLDocs splits a stream at "---" and parses each document on its
// own, so one broken document (a Helm template the preprocessing could not
// tame) costs only itself. ok is false when no document parsed.
func parseYAMLDocs(src []byte) (docs []yamlDoc, ok bool) {
	defer func() {
		if recover() != nil {
			docs, ok = nil, false
		}
	}()
	lines := strings.SplitAfter(string(src), "\n")
	failed := false
	flush := func(start int, chunk []string) {
		text := strings.Join(chunk, "")
		if strings.TrimSpace(text) == "" {
			return
		}
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(text), &n); err != nil {
			failed = true
			return
		}
		if n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
			return
		}
		shiftLines(n.Content[0], start, 0)
		docs = append(docs, yamlDoc{root: n.Content[0]})
	}
	start := 0
	for i, l := range lines {
		t := strings.TrimRight(l, " \t\r\n")
		if t == "---" || strings.HasPrefix(t, "--- ") || t == "..." {
			flush(start, lines[start:i])
			start = i + 1
		}
	}
	flush(start, lines[start:])
	return docs, len(docs) > 0 || !failed
}

// shiftLines moves a document's node lines by the lines before it.
func shiftLines(n *yaml.Node, by, depth int) {
	if n == nil || depth > 200 {
		return
	}
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by, depth+1)
	}
}

// mapGet returns the key and value nodes of a mapping entry.
func mapGet(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// mapValue returns a mapping's value node for key, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	_, v := mapGet(m, key)
	return v
}

// scalar returns a scalar node's text, "" for other nodes.
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// isYAMLTrue reads true the way Kubernetes and Compose do.
func isYAMLTrue(n *yaml.Node) bool {
	switch strings.ToLower(scalar(n)) {
	case "true", "yes", "on":
		return n.Tag != "!!str" || n.Style == 0
	}
	return false
}

func isYAMLFalse(n *yaml.Node) bool {
	switch strings.ToLower(scalar(n)) {
	case "false", "no", "off":
		return true
	}
	return false
}

// items returns a sequence's items, or a lone scalar as one item.
func items(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		return n.Content
	}
	if n.Kind == yaml.ScalarNode {
		return []*yaml.Node{n}
	}
	return nil
}

// lastLine is the last source line a node covers, as far as its children
// tell (block scalars end where the next key starts, found by the caller).
func lastLine(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	l := n.Line
	for _, c := range n.Content {
		if e := lastLine(c); e > l {
			l = e
		}
	}
	if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
		l += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	return l
}

var (
	helmAction = regexp.MustCompile(`\{\{-?.*?-?\}\}`)
)

// detemplate makes a Helm template parse as YAML, keeping line numbers: a
// line that is only template actions becomes a comment, and an action inside
// a value becomes a placeholder.
func detemplate(src []byte) []byte {
	if !strings.Contains(string(src), "{{") {
		return src
	}
	lines := strings.Split(string(src), "\n")
	inComment := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if inComment {
			if strings.Contains(t, "*/}}") || strings.Contains(t, "*/ -}}") {
				inComment = false
			}
			lines[i] = ""
			continue
		}
		if strings.HasPrefix(t, "{{") && strings.TrimSpace(helmAction.ReplaceAllString(t, "")) == "" {
			lines[i] = ""
			continue
		}
		if strings.HasPrefix(t, "{{/*") || strings.HasPrefix(t, "{{- /*") {
			inComment = !strings.Contains(t, "*/")
			lines[i] = ""
			continue
		}
		lines[i] = helmAction.ReplaceAllString(l, "HELM")
	}
	return []byte(strings.Join(lines, "\n"))
}

func isHelmTemplate(p string) bool {
	return strings.Contains("/"+strings.ToLower(p), "/templates/")
}
