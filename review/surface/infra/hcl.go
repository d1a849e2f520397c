package infra

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vouch-review/vouch/review/surface/infra/hclconfig"
)

// The rules read HCL through hashicorp/hcl's parser (hclconfig), reduced to
// the model below: blocks, attributes and the literal values the rules
// judge, with their lines. Expressions the rules do not look into
// (conditionals, for, operators) are kept as opaque values.

// hclBlock is a block such as `resource "aws_s3_bucket" "logs" { … }`; the
// file itself is a block with no type.
type hclBlock struct {
	Type          string
	Labels        []string
	Line, EndLine int
	Attrs         []*hclAttr
	Blocks        []*hclBlock
}

type hclAttr struct {
	Name          string
	Line, EndLine int
	Value         hclValue
}

type valKind uint8

const (
	vOther valKind = iota // an expression the rules do not look into
	vString
	vHeredoc
	vNumber
	vBool
	vNull
	vList
	vObject
	vCall
	vRef
)

// hclValue is an expression reduced to what the rules need.
type hclValue struct {
	Kind          valKind
	Str           string // string, heredoc, number, bool text, function or reference name
	Items         []hclValue
	Obj           []*hclAttr // object items, and a call's arguments as unnamed attrs
	Line, EndLine int
}

// attr returns the block's attribute name, or nil.
func (b *hclBlock) attr(name string) *hclAttr {
	for _, a := range b.Attrs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// blocks returns the nested blocks of a type.
func (b *hclBlock) blocks(typ string) []*hclBlock {
	var out []*hclBlock
	for _, c := range b.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// field returns an object's item by key.
func (v hclValue) field(name string) *hclAttr {
	for _, a := range v.Obj {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// parseHCL reads a whole file; it fails on invalid or too deeply nested
// text, as Terraform itself would refuse it.
func parseHCL(src string) (*hclBlock, error) {
	body, err := hclconfig.Parse([]byte(src), "main.tf")
	if err != nil {
		return nil, err
	}
	c := converter{src: []byte(src)}
	root := c.body(body)
	root.Line, root.EndLine = 1, body.SrcRange.End.Line
	return root, nil
}

type converter struct{ src []byte }

func (c converter) body(b *hclsyntax.Body) *hclBlock {
	out := &hclBlock{}
	for _, a := range hclconfig.Attributes(b) {
		out.Attrs = append(out.Attrs, &hclAttr{Name: a.Name, Line: a.NameRange.Start.Line,
			EndLine: max(hclconfig.EndLine(a.SrcRange), a.NameRange.Start.Line), Value: c.value(a.Expr)})
	}
	for _, blk := range b.Blocks {
		child := c.body(blk.Body)
		child.Type, child.Labels = blk.Type, blk.Labels
		child.Line, child.EndLine = blk.TypeRange.Start.Line, blk.CloseBraceRange.Start.Line
		out.Blocks = append(out.Blocks, child)
	}
	return out
}

// text is the source an expression was written as.
func (c converter) text(r hcl.Range) string {
	if r.Start.Byte < 0 || r.End.Byte > len(c.src) || r.Start.Byte > r.End.Byte {
		return ""
	}
	return string(c.src[r.Start.Byte:r.End.Byte])
}

func (c converter) value(e hclsyntax.Expression) hclValue {
	r := e.Range()
	v := hclValue{Line: r.Start.Line, EndLine: hclconfig.EndLine(r)}
	switch x := e.(type) {
	case *hclsyntax.TemplateExpr:
		if s, ok := hclconfig.String(x); ok {
			v.Kind, v.Str = vString, s
			if strings.HasPrefix(c.text(r), "<<") {
				v.Kind = vHeredoc
			}
			return v
		}
		// An interpolated string keys on its source text: "${var.x}/*".
		v.Kind, v.Str = vString, strings.Trim(c.text(r), `"`)
	case *hclsyntax.TemplateWrapExpr:
		v.Kind, v.Str = vString, strings.Trim(c.text(r), `"`)
	case *hclsyntax.LiteralValueExpr:
		switch {
		case x.Val.IsNull():
			v.Kind, v.Str = vNull, "null"
		case x.Val.Type() == cty.Bool:
			v.Kind, v.Str = vBool, "false"
			if x.Val.True() {
				v.Str = "true"
			}
		case x.Val.Type() == cty.Number:
			v.Kind, v.Str = vNumber, c.text(r)
		}
	case *hclsyntax.TupleConsExpr:
		v.Kind = vList
		for _, it := range x.Exprs {
			v.Items = append(v.Items, c.value(it))
		}
	case *hclsyntax.ObjectConsExpr:
		v.Kind = vObject
		for _, it := range x.Items {
			val := c.value(it.ValueExpr)
			kr := it.KeyExpr.Range()
			v.Obj = append(v.Obj, &hclAttr{Name: c.key(it.KeyExpr), Line: kr.Start.Line, EndLine: max(val.EndLine, kr.Start.Line), Value: val})
		}
	case *hclsyntax.FunctionCallExpr:
		v.Kind, v.Str = vCall, x.Name
		for _, a := range x.Args {
			av := c.value(a)
			v.Obj = append(v.Obj, &hclAttr{Line: av.Line, EndLine: av.EndLine, Value: av})
		}
	case *hclsyntax.ScopeTraversalExpr:
		v.Kind, v.Str = vRef, traversal(x.Traversal)
	case *hclsyntax.ParenthesesExpr:
		return c.value(x.Expression)
	}
	return v
}

// key is an object item's key: a bare name or a literal string.
func (c converter) key(e hclsyntax.Expression) string {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if k.ForceNonLiteral {
			return ""
		}
		e = k.Wrapped
	}
	switch x := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if len(x.Traversal) == 1 {
			return x.Traversal.RootName()
		}
	case *hclsyntax.TemplateExpr:
		if s, ok := hclconfig.String(x); ok {
			return s
		}
	}
	return ""
}

// traversal writes var.cidrs or aws_s3_bucket.logs.id as the source does.
func traversal(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			switch k := s.Key; {
			case !k.IsKnown() || k.IsNull():
				b.WriteString("[?]")
			case k.Type() == cty.String:
				b.WriteString("[" + k.AsString() + "]")
			case k.Type() == cty.Number:
				b.WriteString("[" + k.AsBigFloat().String() + "]")
			default:
				b.WriteString("[?]")
			}
		case hcl.TraverseSplat:
			b.WriteString(".*")
		}
	}
	return b.String()
}

// strings returns the literal strings of a string or list value with their
// lines; other values give nothing.
func (v hclValue) strings() []litString {
	switch v.Kind {
	case vString:
		return []litString{{v.Str, v.Line}}
	case vList:
		var out []litString
		for _, it := range v.Items {
			if it.Kind == vString {
				out = append(out, litString{it.Str, it.Line})
			}
		}
		return out
	}
	return nil
}

type litString struct {
	s    string
	line int
}

// isTrue reports a literal true (or "true", which Terraform converts).
func (v hclValue) isTrue() bool {
	return (v.Kind == vBool || v.Kind == vString) && v.Str == "true"
}

func (v hclValue) isFalse() bool {
	return (v.Kind == vBool || v.Kind == vString) && v.Str == "false"
}
