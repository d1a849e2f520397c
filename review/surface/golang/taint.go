package golang

import (
	"go/ast"
	"go/token"
	"regexp"
	"strings"
)

// prepass learns, for the whole file, which variables hold request data or
// archive entry names, which strings are assembled at run time, and which
// router variables carry a path prefix. It keys on the parser's objects, so a
// closure sees the variables of the handler around it. Two rounds settle
// assignments that appear before their source in a loop.
func (s *fileScan) prepass() {
	ast.Inspect(s.file, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			s.toolHandlers(call)
		}
		var ft *ast.FuncType
		switch n := n.(type) {
		case *ast.FuncDecl:
			ft = n.Type
		case *ast.FuncLit:
			ft = n.Type
		}
		if ft == nil || ft.Params == nil {
			return true
		}
		for _, f := range ft.Params.List {
			kind := s.paramKind(f.Type)
			for _, nm := range f.Names {
				if nm.Obj == nil {
					continue
				}
				switch kind {
				case "request":
					s.req[nm.Obj] = true
				case "tool":
					s.taint[nm.Obj] |= taintTool
				case "entry":
					s.taint[nm.Obj] |= taintArchive
				case "archive":
					s.archives[nm.Obj] = true
				}
				if isDynamicType(f.Type) {
					s.dynamic[nm.Obj] = true
				}
			}
		}
		return true
	})
	for round := 0; round < 2; round++ {
		ast.Inspect(s.file, s.propagate)
	}
}

// paramKind tells request contexts and archive types apart by their package.
func (s *fileScan) paramKind(t ast.Expr) string {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	p := s.pkgOf(sel.X)
	switch {
	case p == "net/http" && sel.Sel.Name == "Request",
		strings.Contains(p, "gin-gonic/gin") && sel.Sel.Name == "Context",
		strings.Contains(p, "labstack/echo") && sel.Sel.Name == "Context",
		strings.Contains(p, "gofiber/fiber") && sel.Sel.Name == "Ctx":
		return "request"
	case p == "archive/zip" && sel.Sel.Name == "File", p == "archive/tar" && sel.Sel.Name == "Header":
		return "entry"
	case sel.Sel.Name == "CallToolRequest" && (strings.HasPrefix(p, "github.com/modelcontextprotocol/go-sdk/") || strings.HasPrefix(p, "github.com/mark3labs/mcp-go/")),
		strings.HasSuffix(sel.Sel.Name, "ToolCall") && !strings.HasPrefix(p, "github.com/vouch-review/"):
		return "tool"
	case p == "archive/zip" && (sel.Sel.Name == "Reader" || sel.Sel.Name == "ReadCloser"), p == "archive/tar" && sel.Sel.Name == "Reader":
		return "archive"
	}
	return ""
}

// toolRegistrars are the calls that register a model-callable tool with its
// handler: fantasy.NewAgentTool, mcp.AddTool, server.AddTool, RegisterTool.
var toolRegistrars = regexp.MustCompile(`^(New\w*Tool|AddTools?|RegisterTool|HandleTool|New\w*ToolHandler)$`)

// toolHandlers taints the parameters of a function literal registered as a
// tool's handler (all but its context): they hold what the model asked for.
func (s *fileScan) toolHandlers(call *ast.CallExpr) {
	if _, name := s.callee(call); !toolRegistrars.MatchString(name) {
		return
	}
	for _, a := range call.Args {
		fl, ok := a.(*ast.FuncLit)
		if !ok || fl.Type.Params == nil {
			continue
		}
		for _, f := range fl.Type.Params.List {
			if sel, ok := f.Type.(*ast.SelectorExpr); ok && s.pkgOf(sel.X) == "context" {
				continue
			}
			for _, nm := range f.Names {
				if nm.Obj != nil {
					s.taint[nm.Obj] |= taintTool
				}
			}
		}
	}
}

func isDynamicType(t ast.Expr) bool {
	switch x := t.(type) {
	case *ast.InterfaceType:
		return x.Methods == nil || len(x.Methods.List) == 0
	case *ast.Ident:
		return x.Name == "any" && x.Obj == nil
	case *ast.MapType:
		return isDynamicType(x.Value)
	case *ast.ArrayType:
		return isDynamicType(x.Elt)
	}
	return false
}

func (s *fileScan) propagate(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if len(n.Lhs) == len(n.Rhs) {
			for i := range n.Lhs {
				s.assignOne(n.Lhs[i], n.Rhs[i], n.Tok, len(n.Lhs) == 1)
			}
		} else if len(n.Rhs) == 1 {
			for i, l := range n.Lhs {
				s.assignOne(l, n.Rhs[0], n.Tok, i == 0)
			}
		}
	case *ast.ValueSpec:
		for i, nm := range n.Names {
			if nm.Obj == nil {
				continue
			}
			if n.Type != nil {
				s.noteType(nm.Obj, n.Type)
			}
			if len(n.Values) == len(n.Names) {
				s.assignOne(nm, n.Values[i], token.DEFINE, true)
			} else if len(n.Values) == 1 {
				s.assignOne(nm, n.Values[0], token.DEFINE, i == 0)
			}
		}
	case *ast.RangeStmt:
		t := s.taintOf(n.X)
		if id := rootIdent(n.X); id != nil && id.Obj != nil && s.archives[id.Obj] {
			t |= taintArchive
		}
		for _, e := range []ast.Expr{n.Key, n.Value} {
			if id, ok := e.(*ast.Ident); ok && id.Obj != nil && t != 0 {
				s.taint[id.Obj] |= t
			}
		}
	case *ast.CallExpr:
		// Decode(&v), ShouldBindJSON(&v), Unmarshal(body, &v): data flows
		// from the tainted receiver or argument into the pointed-to variable.
		t := 0
		if r := s.recv(n); r != nil {
			t |= s.taintOf(r)
		}
		for _, a := range n.Args {
			if _, ok := a.(*ast.UnaryExpr); !ok {
				t |= s.taintOf(a)
			}
		}
		if t == 0 {
			return true
		}
		// b.WriteString(content), buf.Write(data): what is written is in
		// the builder.
		if _, name := s.callee(n); strings.HasPrefix(name, "Write") || name == "Append" {
			if r := rootIdent(s.recv(n)); r != nil && r.Obj != nil {
				s.taint[r.Obj] |= t &^ taintRequest
			}
		}
		for _, a := range n.Args {
			if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND {
				if id, ok := u.X.(*ast.Ident); ok && id.Obj != nil {
					s.taint[id.Obj] |= t
				}
			}
		}
	}
	return true
}

func (s *fileScan) noteType(obj *ast.Object, t ast.Expr) {
	if isDynamicType(t) {
		s.dynamic[obj] = true
	}
	if sel, ok := t.(*ast.SelectorExpr); ok {
		switch p := s.pkgOf(sel.X); {
		case p == "strings" && sel.Sel.Name == "Builder":
			s.builders[obj] = "strings.Builder"
		case p == "bytes" && sel.Sel.Name == "Buffer":
			s.builders[obj] = "bytes.Buffer"
		}
	}
}

func (s *fileScan) assignOne(lhs, rhs ast.Expr, tok token.Token, first bool) {
	id, ok := lhs.(*ast.Ident)
	if !ok || id.Obj == nil {
		return
	}
	obj := id.Obj
	if t := s.taintOf(rhs); t != 0 {
		s.taint[obj] |= t
	}
	// The value a tuple assignment binds first is the call's result; the
	// others are errors and flags, so only it inherits the call's nature.
	if !first {
		return
	}
	if call, ok := rhs.(*ast.CallExpr); ok {
		pkg, name := s.callee(call)
		switch {
		case pkg == "archive/zip" && (name == "OpenReader" || name == "NewReader"), pkg == "archive/tar" && name == "NewReader":
			s.archives[obj] = true
		case pkg == "" && name == "Next":
			if r := rootIdent(s.recv(call)); r != nil && r.Obj != nil && s.archives[r.Obj] {
				s.taint[obj] |= taintArchive
			}
		case pkg == "" && (name == "Group" || name == "Route" || name == "Subrouter" || name == "PathPrefix"):
			if p := s.groupPath(call); p != "" {
				s.prefix[obj] = p
			}
		}
	}
	switch x := rhs.(type) {
	case *ast.CompositeLit:
		s.noteType(obj, x.Type)
	case *ast.UnaryExpr:
		if cl, ok := x.X.(*ast.CompositeLit); ok {
			s.noteType(obj, cl.Type)
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "new" && len(x.Args) == 1 {
			s.noteType(obj, x.Args[0])
		}
	}
	if b := s.builtHow(rhs); b.how != "" {
		s.built[obj] = b
	} else if tok == token.ADD_ASSIGN && !s.isConst(rhs) {
		s.built[obj] = builtBy{how: "string concatenation", sql: s.built[obj].sql || s.sqlish(rhs)}
	} else if tok == token.ADD_ASSIGN {
		if b, ok := s.built[obj]; ok && s.sqlish(rhs) {
			b.sql = true
			s.built[obj] = b
		}
	}
}

// groupPath is the path a router group adds: r.Group("/v1"), r.Route("/x",
// fn), r.PathPrefix("/api").Subrouter(), behind the receiver's own prefix.
func (s *fileScan) groupPath(call *ast.CallExpr) string {
	_, name := s.callee(call)
	if name == "Subrouter" {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			if inner, ok := sel.X.(*ast.CallExpr); ok {
				return s.groupPath(inner)
			}
		}
		return ""
	}
	if len(call.Args) == 0 {
		return ""
	}
	p, ok := strLit(call.Args[0])
	if !ok || !strings.HasPrefix(p, "/") {
		return ""
	}
	return joinPath(s.recvPrefix(call), p)
}

func (s *fileScan) recvPrefix(call *ast.CallExpr) string {
	if id := rootIdent(s.recv(call)); id != nil && id.Obj != nil {
		return s.prefix[id.Obj]
	}
	return ""
}

func joinPath(prefix, p string) string {
	if prefix == "" {
		return p
	}
	if p == "/" || p == "" {
		return prefix
	}
	return strings.TrimSuffix(prefix, "/") + p
}

// requestFields of an *http.Request (and of gin/echo/fiber contexts) that
// carry no client data.
var notRequestData = set("Context", "Method", "WithContext", "Proto", "ProtoMajor", "ProtoMinor",
	"TLS", "Done", "Deadline", "Err", "Value", "Get", "MustGet", "Set", "Keys", "Locals", "JSON",
	"String", "Status", "Next", "Abort", "AbortWithStatus", "Writer", "Response", "Logger", "Render")

// extractors take a bare request and hand back client data: mux.Vars(r),
// chi.URLParam(r, "id").
var extractorWord = regexp.MustCompile(`Vars|Param|Query|Form|Body|Header|Cookie|Bind`)

// taintOf says whether an expression carries request data or archive entry
// names. Function literals are not followed.
func (s *fileScan) taintOf(e ast.Expr) int {
	t := 0
	if e == nil {
		return 0
	}
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.Ident:
			if x.Obj != nil {
				t |= s.taint[x.Obj]
			}
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && id.Obj != nil && s.req[id.Obj] {
				if !notRequestData[x.Sel.Name] {
					t |= taintRequest
				}
				return false
			}
		case *ast.CallExpr:
			_, name := s.callee(x)
			if s.untrustedText(x) {
				t |= taintText
			}
			if extractorWord.MatchString(name) {
				for _, a := range x.Args {
					if id, ok := a.(*ast.Ident); ok && id.Obj != nil && s.req[id.Obj] {
						t |= taintRequest
					}
				}
			}
		}
		return true
	})
	return t
}

// isConst reports expressions whose value is fixed in the source.
func (s *fileScan) isConst(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return s.isConst(x.X)
	case *ast.BinaryExpr:
		return s.isConst(x.X) && s.isConst(x.Y)
	case *ast.Ident:
		if x.Obj == nil {
			return x.Name == "true" || x.Name == "false" || x.Name == "nil"
		}
		if x.Obj.Kind == ast.Con {
			return true
		}
		if _, built := s.built[x.Obj]; built {
			return false
		}
		_, full := s.literal(x, 0)
		return full
	case *ast.SelectorExpr:
		return s.pkgOf(x.X) != ""
	}
	return false
}

var sqlWords = regexp.MustCompile(`(?i)\b(select\s.+\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|where\s|order\s+by|values\s*\(|limit\s)`)

// sqlish reports whether an expression's literal parts read like SQL.
func (s *fileScan) sqlish(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BasicLit:
			if v, ok := strLit(x); ok && sqlWords.MatchString(v) {
				found = true
			}
		case *ast.Ident:
			if x.Obj != nil {
				if b, ok := s.built[x.Obj]; ok && b.sql {
					found = true
				} else if v, _ := s.literal(x, 0); sqlWords.MatchString(v) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// builtHow says how a string is assembled at run time, "" for constants.
func (s *fileScan) builtHow(e ast.Expr) builtBy {
	switch x := e.(type) {
	case *ast.ParenExpr:
		return s.builtHow(x.X)
	case *ast.CallExpr:
		pkg, name := s.callee(x)
		if pkg == "fmt" && strings.HasPrefix(name, "Sprint") {
			for i, a := range x.Args {
				if (i > 0 || name != "Sprintf") && !s.isConst(a) {
					return builtBy{how: "fmt." + name, sql: s.sqlish(x)}
				}
			}
			return builtBy{}
		}
		if pkg == "strings" && (name == "Join" || name == "Replace" || name == "ReplaceAll") {
			if len(x.Args) > 0 && !s.isConst(x.Args[0]) {
				return builtBy{how: "strings." + name, sql: s.sqlish(x)}
			}
		}
		if name == "String" && len(x.Args) == 0 {
			if id := rootIdent(s.recv(x)); id != nil && id.Obj != nil {
				if b, ok := s.builders[id.Obj]; ok {
					return builtBy{how: b, sql: s.built[id.Obj].sql || s.builderSQL(id.Obj)}
				}
			}
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD && !s.isConst(x) {
			return builtBy{how: "string concatenation", sql: s.sqlish(x)}
		}
	case *ast.Ident:
		if x.Obj != nil {
			return s.built[x.Obj]
		}
	}
	return builtBy{}
}

// builderSQL looks at what was written into a strings.Builder.
func (s *fileScan) builderSQL(obj *ast.Object) bool {
	found := false
	ast.Inspect(s.file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if _, name := s.callee(call); strings.HasPrefix(name, "Write") {
			if id := rootIdent(s.recv(call)); id != nil && id.Obj == obj {
				for _, a := range call.Args {
					if s.sqlish(a) {
						found = true
					}
				}
			}
		}
		return true
	})
	return found
}
