package deps

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vouch-review/vouch/review/surface/infra/hclconfig"
)

// registry module address: [host/]namespace/name/provider
var tfRegistry = regexp.MustCompile(`^([\w.-]+/)?[\w-]+/[\w-]+/[\w-]+$`)

var (
	tfBlock = regexp.MustCompile(`^([A-Za-z_][\w-]*)((?:\s+"[^"]*"|\s+[A-Za-z_][\w-]*)*)\s*\{$`)
	tfObj   = regexp.MustCompile(`^([A-Za-z_][\w-]*)\s*=\s*\{(.*)$`)
	tfAttr  = regexp.MustCompile(`([A-Za-z_][\w-]*)\s*=\s*"([^"]*)"`)
	tfLabel = regexp.MustCompile(`"([^"]*)"`)
)

// tfFrame is one block or object that names a dependency.
type tfFrame struct {
	kind      string // for the line reader
	label     string
	line      int
	attrs     map[string]string
	attrLines map[string]int
}

func parseTerraform(data []byte) ([]entry, error) { return parseHCL(data, false) }

func parseTerraformLock(data []byte) ([]entry, error) { return parseHCL(data, true) }

// parseHCL reads the HCL shapes that name dependencies with hashicorp/hcl's
// parser: top-level module blocks, required_providers entries of terraform
// blocks and, in the lockfile, provider blocks.
func parseHCL(data []byte, lock bool) ([]entry, error) {
	body, err := hclconfig.Parse(data, "main.tf")
	if err != nil {
		// Today's line reader, so a broken file does not read as if every
		// dependency were removed.
		return parseHCLLines(data, lock), nil
	}
	var out []entry
	for _, b := range body.Blocks {
		switch {
		case lock && b.Type == "provider" && len(b.Labels) == 1:
			f := frame(b.Labels[0], b.TypeRange.Start.Line, b.Body)
			out = append(out, tfProvider(f, true))
		case !lock && b.Type == "module" && len(b.Labels) == 1:
			if e, ok := tfModule(frame(b.Labels[0], b.TypeRange.Start.Line, b.Body)); ok {
				out = append(out, e)
			}
		case !lock && b.Type == "terraform":
			for _, rp := range b.Body.Blocks {
				if rp.Type == "required_providers" {
					out = append(out, requiredProviders(rp.Body)...)
				}
			}
		}
	}
	return out, nil
}

// parseHCLLines is the line reader for text hashicorp/hcl refuses (a file
// caught mid-edit, hostile nesting): it tracks braces line by line and
// reads the few shapes that name dependencies; anything else is skipped.
func parseHCLLines(data []byte, lock bool) []entry {
	var out []entry
	var stack []*tfFrame
	top := func() *tfFrame {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	push := func(f *tfFrame) {
		if len(stack) < 64 {
			f.attrs, f.attrLines = map[string]string{}, map[string]int{}
			stack = append(stack, f)
		}
	}
	pop := func() {
		f := top()
		if f == nil {
			return
		}
		stack = stack[:len(stack)-1]
		parent := top()
		switch {
		case f.kind == "module" && parent == nil && !lock:
			if e, ok := tfModule(f); ok {
				out = append(out, e)
			}
		case f.kind == "provider" && lock && parent == nil,
			f.kind == "provider-req" && parent != nil && parent.kind == "required_providers":
			out = append(out, tfProvider(f, lock))
		}
	}
	inComment := false
	for i, raw := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(strings.TrimRight(raw, "\r"))
		if inComment {
			j := strings.Index(l, "*/")
			if j < 0 {
				continue
			}
			l, inComment = strings.TrimSpace(l[j+2:]), false
		}
		if j := strings.Index(l, "/*"); j >= 0 && !strings.Contains(l[:j], `"`) {
			if k := strings.Index(l[j:], "*/"); k >= 0 {
				l = l[:j] + l[j+k+2:]
			} else {
				l, inComment = l[:j], true
			}
		}
		l = stripHCLComment(l)
		if l == "" {
			continue
		}
		line := i + 1
		if m := tfBlock.FindStringSubmatch(l); m != nil {
			label := ""
			if lm := tfLabel.FindStringSubmatch(m[2]); lm != nil {
				label = lm[1]
			}
			push(&tfFrame{kind: m[1], label: label, line: line})
			continue
		}
		if m := tfObj.FindStringSubmatch(l); m != nil {
			kind := "object"
			if f := top(); f != nil && f.kind == "required_providers" {
				kind = "provider-req"
			}
			push(&tfFrame{kind: kind, label: m[1], line: line})
			rest := m[2]
			for _, a := range tfAttr.FindAllStringSubmatch(rest, -1) {
				top().attrs[a[1]], top().attrLines[a[1]] = a[2], line
			}
			if strings.Contains(rest, "}") {
				pop()
			}
			continue
		}
		if a := tfAttr.FindStringSubmatch(l); a != nil && strings.HasPrefix(l, a[0]) {
			f := top()
			if f == nil {
				continue
			}
			if f.kind == "required_providers" {
				// Terraform 0.12's short form: aws = "~> 3.0".
				p := &tfFrame{kind: "provider-req", label: a[1], line: line,
					attrs: map[string]string{"version": a[2]}, attrLines: map[string]int{"version": line}}
				out = append(out, tfProvider(p, false))
				continue
			}
			f.attrs[a[1]], f.attrLines[a[1]] = a[2], line
			continue
		}
		for _, c := range l {
			switch c {
			case '{', '[':
				push(&tfFrame{kind: "other", line: line})
			case '}', ']':
				pop()
			}
		}
	}
	return out
}

func stripHCLComment(l string) string {
	var quote bool
	for i := 0; i < len(l); i++ {
		switch {
		case l[i] == '"' && (i == 0 || l[i-1] != '\\'):
			quote = !quote
		case quote:
		case l[i] == '#', l[i] == '/' && i+1 < len(l) && l[i+1] == '/':
			return strings.TrimSpace(l[:i])
		}
	}
	return l
}

// frame collects a block's literal string attributes with their lines.
func frame(label string, line int, body *hclsyntax.Body) *tfFrame {
	f := &tfFrame{label: label, line: line, attrs: map[string]string{}, attrLines: map[string]int{}}
	for _, a := range hclconfig.Attributes(body) {
		if v, ok := hclconfig.String(a.Expr); ok {
			f.attrs[a.Name], f.attrLines[a.Name] = v, a.NameRange.Start.Line
		}
	}
	return f
}

// requiredProviders reads `aws = { source = …, version = … }` entries and
// Terraform 0.12's short form `aws = "~> 3.0"`.
func requiredProviders(body *hclsyntax.Body) []entry {
	var out []entry
	for _, a := range hclconfig.Attributes(body) {
		line := a.NameRange.Start.Line
		f := &tfFrame{label: a.Name, line: line, attrs: map[string]string{}, attrLines: map[string]int{}}
		switch x := a.Expr.(type) {
		case *hclsyntax.ObjectConsExpr:
			for _, it := range x.Items {
				k := objectKey(it.KeyExpr)
				if v, ok := hclconfig.String(it.ValueExpr); ok && k != "" {
					f.attrs[k], f.attrLines[k] = v, it.KeyExpr.Range().Start.Line
				}
			}
		default:
			v, ok := hclconfig.String(a.Expr)
			if !ok {
				continue
			}
			f.attrs["version"], f.attrLines["version"] = v, line
		}
		out = append(out, tfProvider(f, false))
	}
	return out
}

// objectKey is an object item's key written as a name or a literal string.
func objectKey(e hclsyntax.Expression) string {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if k.ForceNonLiteral {
			return ""
		}
		e = k.Wrapped
	}
	if t, ok := e.(*hclsyntax.ScopeTraversalExpr); ok && len(t.Traversal) == 1 {
		return t.Traversal.RootName()
	}
	s, _ := hclconfig.String(e)
	return s
}

func tfProvider(f *tfFrame, lock bool) entry {
	src := f.attrs["source"]
	if lock {
		src = f.label
	}
	if src == "" {
		src = "hashicorp/" + f.label
	}
	name := strings.TrimPrefix(strings.ToLower(src), "registry.terraform.io/")
	e := entry{key: "provider " + name, name: name, version: f.attrs["version"], line: f.line,
		vline: f.attrLines["version"], verb: "adds provider"}
	if !lock {
		e.key = "provider " + f.label
	}
	return e
}

func tfModule(f *tfFrame) (entry, bool) {
	src := strings.TrimSpace(f.attrs["source"])
	if src == "" || strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") {
		return entry{}, false // a local module is the repository's own code
	}
	e := entry{key: "module " + f.label, name: src, version: f.attrs["version"], line: f.line,
		vline: f.attrLines["version"], verb: "adds module " + f.label + ":", find: src}
	if e.vline == 0 {
		e.vline = f.attrLines["source"]
	}
	l := strings.ToLower(src)
	switch {
	case tfRegistry.MatchString(src):
		if e.version == "" {
			e.source, e.what = "the registry with no version constraint (any release)", "unversioned"
		}
	case strings.HasPrefix(l, "git::"), strings.HasPrefix(l, "github.com/"), strings.HasPrefix(l, "git@"),
		strings.HasPrefix(l, "bitbucket.org/"), strings.HasPrefix(l, "hg::"):
		base, ref := splitRef(src)
		e.name, e.version, e.purl = base, ref, "-"
		e.source, e.detail = "git", refDetail(ref, "a git source")
	default:
		base, ref := splitRef(src)
		e.name, e.version, e.purl = base, ref, "-"
		e.source, e.detail = "URL", refDetail(ref, "fetched from a URL")
	}
	return e, true
}

// splitRef splits "git::https://x/y.git?ref=v1.2.0" into the address and ref.
func splitRef(src string) (string, string) {
	base, q, ok := strings.Cut(src, "?")
	if !ok {
		return src, ""
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return base, ""
	}
	return base, v.Get("ref")
}

func refDetail(ref, what string) string {
	if ref == "" {
		return "(" + what + ", no ref)"
	}
	return "at ref " + ref + " (" + what + ")"
}
