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

// tfFrame is one block or object that names a dependency.
type tfFrame struct {
	label     string
	line      int
	attrs     map[string]string
	attrLines map[string]int
}

func parseTerraform(data []byte) ([]entry, error) { return parseHCL(data, false) }

func parseTerraformLock(data []byte) ([]entry, error) { return parseHCL(data, true) }

// parseHCL reads the HCL shapes that name dependencies with hashicorp/hcl's
// parser: top-level module blocks, required_providers entries of terraform
// blocks and, in the lockfile, provider blocks. A file that does not parse
// is an error, as Terraform itself refuses it.
func parseHCL(data []byte, lock bool) ([]entry, error) {
	body, err := hclconfig.Parse(data, "main.tf")
	if err != nil {
		return nil, err
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
