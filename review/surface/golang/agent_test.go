package golang

import "testing"

func TestAgentSurfaces(t *testing.T) {
	runCases(t, []tcase{
		{name: "cobra flag that auto-approves", before: goFile(`	"github.com/spf13/cobra"`, "var root = &cobra.Command{Use: \"app\"}\n\nfunc init() {\n}"),
			after: goFile(`	"github.com/spf13/cobra"`, "var root = &cobra.Command{Use: \"app\"}\n\nfunc init() {\n\troot.Flags().BoolVarP(&yolo, \"yolo\", \"y\", false, \"approve every tool call\")\n}"),
			want:  []want{{rule: "go/cli-unsafe-flag", severity: "high", message: "--yolo"}}},
		{name: "ordinary flag is low", before: goFile(`	"flag"`, "var _ = flag.Parse"),
			after: goFile(`	"flag"`, "var _ = flag.Parse\n\nvar port = flag.Int(\"port\", 8080, \"port\")"),
			want:  []want{{rule: "go/cli-flag", severity: "low", message: "--port"}}},
		{name: "new cobra command", before: goFile(`	"github.com/spf13/cobra"`, "var _ = cobra.Command{}"),
			after: goFile(`	"github.com/spf13/cobra"`, "var _ = cobra.Command{}\n\nvar serve = &cobra.Command{\n\tUse:   \"serve [addr]\",\n\tShort: \"serve the API\",\n}"),
			want:  []want{{rule: "go/cli-command", message: `"serve"`}}},
		{name: "a flag moved within the file is not new", before: goFile(`	"flag"`, "var port = flag.Int(\"port\", 8080, \"port\")\n\nvar a = 1"),
			after: goFile(`	"flag"`, "var a = 1\n\nvar port = flag.Int(\"port\", 8080, \"the port\")"), reject: []string{"entry-point"}},
		{name: "mcp tool", before: goFile(`	"github.com/modelcontextprotocol/go-sdk/mcp"`, "var _ = mcp.NewServer"),
			after: goFile(`	"github.com/modelcontextprotocol/go-sdk/mcp"`, "var _ = mcp.NewServer\n\nfunc register(s *mcp.Server) {\n\tmcp.AddTool(s, &mcp.Tool{Name: \"run_shell\"}, runShell)\n}"),
			want:  []want{{rule: "go/mcp-tool", message: `"run_shell"`}}},
		{name: "mcp over http", before: goFile(`	"github.com/mark3labs/mcp-go/server"`, "var _ = server.NewMCPServer"),
			after: goFile(`	"github.com/mark3labs/mcp-go/server"`, "var _ = server.NewMCPServer\n\nfunc serve(s *server.MCPServer) {\n\t_ = server.NewStreamableHTTPServer(s).Start(\":8080\")\n}"),
			want:  []want{{rule: "go/mcp-http", severity: "high"}}},
		{name: "in-process shell", before: goFile(`	"mvdan.cc/sh/v3/interp"`, "var _ = interp.New"),
			after: goFile(`	"mvdan.cc/sh/v3/interp"`, "var _ = interp.New\n\nfunc run() {\n\tr, _ := interp.New(interp.StdIO(nil, nil, nil))\n\t_ = r\n}"),
			want:  []want{{rule: "go/interpreter", severity: "high", message: "in-process shell"}}},
		{name: "telemetry sdk", before: goFile(`	"github.com/posthog/posthog-go"`, "var _ = posthog.New"),
			after: goFile(`	"github.com/posthog/posthog-go"`, "var _ = posthog.New\n\nvar client, _ = posthog.NewWithConfig(key, posthog.Config{})"),
			want:  []want{{rule: "go/sdk-client", message: "posthog"}}},
		{name: "a permission service grant is auth", before: "package permission\n\nfunc (s *service) Grant(p Request) {\n\ts.granted = append(s.granted, p)\n}\n",
			after: "package permission\n\nfunc (s *service) Grant(p Request) {\n\ts.granted[p.Key()] = true\n\ts.persist(p)\n}\n",
			want:  []want{{rule: "go/auth-func", message: "Grant"}}},
		{name: "a key that turns permission prompts off is auth", before: goFile("", "func (m *UI) key() {\n}"),
			after: goFile("", "func (m *UI) key() {\n\tyolo := !m.com.Workspace.PermissionSkipRequests()\n\tm.com.Workspace.PermissionSetSkipRequests(yolo)\n}"),
			want:  []want{{rule: "go/auth-check", message: "PermissionSetSkipRequests"}}},
		{name: "a helper in a guard package that decides nothing", before: "package permission\n\nfunc format(p Request) string {\n\treturn p.Tool\n}\n",
			after: "package permission\n\nfunc format(p Request) string {\n\treturn p.Tool + \" \" + p.Path\n}\n", reject: []string{"auth"}},
	})
}

func TestReformattedCallIsNotNew(t *testing.T) {
	runCases(t, []tcase{
		{name: "a call split over lines by gofmt", before: goFile(`	"os/exec"`, "func run(ctx context.Context, bin string) error {\n\treturn exec.CommandContext(ctx, bin, \"--host\", host).Run()\n}"),
			after:  goFile(`	"os/exec"`, "func run(ctx context.Context, bin string) error {\n\treturn exec.CommandContext(\n\t\tctx, bin,\n\t\t\"--host\", host,\n\t).Run()\n}"),
			reject: []string{"exec"}},
	})
}
