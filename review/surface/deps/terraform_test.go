package deps

import (
	"strings"
	"testing"
)

// TestTerraformHCL holds the Terraform readers, now on hashicorp/hcl's
// parser, to the shapes the line reader could not see and to what a broken
// file gives: today's line reader, not a list of removals.
func TestTerraformHCL(t *testing.T) {
	const tf = "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n"
	const module = "\nmodule \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.5.0\"\n}\n"
	const lock = "provider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.40.0\"\n  constraints = \"~> 5.0\"\n  hashes = [\n    \"h1:abc=\",\n  ]\n}\n"
	runCases(t, []detectCase{
		{name: "one-line object and comments", path: "main.tf", before: tf,
			after: tf + "\n# module \"x\" { source = \"git::https://old\" }\nmodule \"audit\" { source = \"git::https://github.com/someone/tf-audit.git?ref=main\" }\n",
			want:  []want{{category: "dependency-source", rule: "deps/terraform-source", line: 11, msg: []string{"audit"}}}},
		{name: "module source in a heredoc-free block with a nested object", path: "main.tf", before: tf,
			after: tf + "\nmodule \"net\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.5.0\"\n  tags = {\n    source = \"not-a-module\"\n  }\n}\n",
			want:  []want{{category: "dependency", rule: "deps/terraform-added", line: 10, msg: []string{"terraform-aws-modules/vpc/aws"}}}},
		{name: "short-form provider requirement", path: "versions.tf", before: "terraform {\n  required_providers {\n    google = \"~> 4.0\"\n  }\n}\n",
			after: "terraform {\n  required_providers {\n    google = \"~> 3.0\"\n  }\n}\n",
			want:  []want{{rule: "deps/terraform-downgraded", line: 3}}},
		{name: "reformatted file says nothing", path: "main.tf", before: tf,
			after: strings.NewReplacer("source  =", "source =", "version =", "version  =").Replace(tf)},
		{name: "lockfile bump", path: ".terraform.lock.hcl", before: lock, after: strings.Replace(lock, "5.40.0", "5.41.0", 1),
			want: []want{{rule: "deps/terraform-lock-upgraded", line: 2, msg: []string{"hashicorp/aws"}}}},
		{name: "a broken file falls back on the line reader, not on removals", path: "main.tf", before: tf + module,
			after: strings.Replace(tf+module, "5.5.0", "5.6.0", 1) + "\nlocals {\n  name = \"unterminated\n}\n",
			want:  []want{{rule: "deps/terraform-upgraded", msg: []string{"5.5.0 → 5.6.0"}}}},
	})
}
