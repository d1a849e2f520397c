package infra

import (
	"strings"
	"testing"
)

// TestTerraformConstructs holds the comparison to constructs: a block still
// there after the commit, moved, reformatted or renamed through a moved
// block, is neither new nor removed.
func TestTerraformConstructs(t *testing.T) {
	open := strings.Replace(sgBefore, `["10.0.0.0/16"]`, `["0.0.0.0/0"]`, 1)
	const bucket = "resource \"aws_s3_bucket\" \"site\" {\n  bucket = \"acme-site\"\n}\n"
	const pab = "resource \"aws_s3_bucket_public_access_block\" \"site\" {\n  bucket                  = aws_s3_bucket.site.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n"
	renamed := strings.Replace(open, `"web"`, `"frontend"`, 1)
	const other = "resource \"aws_instance\" \"web\" {\n  ami           = \"ami-123\"\n  instance_type = \"t3.micro\"\n}\n"
	runCases(t, []detectCase{
		{name: "open group moved below another resource", path: "sg.tf", before: open + "\n" + other, after: other + "\n" + open},
		{name: "open group reformatted", path: "sg.tf", before: open,
			after: strings.NewReplacer("    from_port   = 443", "    from_port = 443", "    cidr_blocks = [\"0.0.0.0/0\"]", "    cidr_blocks = [\n      \"0.0.0.0/0\",\n    ]").Replace(open)},
		{name: "public access block moved, not removed", path: "s3.tf", before: bucket + "\n" + pab, after: pab + "\n" + bucket},
		{name: "public access block removed", path: "s3.tf", before: bucket + "\n" + pab, after: bucket,
			want: []string{"infra/tf-public-access-block-removed"}},
		{name: "renamed through a moved block and reformatted", path: "sg.tf", before: open,
			after: strings.Replace(renamed, "cidr_blocks = ", "cidr_blocks  = ", 1) + "\nmoved {\n  from = aws_security_group.web\n  to   = aws_security_group.frontend\n}\n"},
		{name: "renamed and reformatted without a moved block is a new resource", path: "sg.tf", before: open,
			after: strings.Replace(renamed, "cidr_blocks = ", "cidr_blocks  = ", 1), want: []string{"infra/tf-open-ingress"}},
		{name: "dynamic ingress block", path: "sg.tf", before: absent, after: `resource "aws_security_group" "dyn" {
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`, want: []string{"infra/tf-open-ingress"}},
		{name: "syntax the hand parser refused", path: "main.tf", before: absent, after: `locals {
  arn   = provider::aws::arn_parse(var.arn)
  ids   = aws_instance.web[*].id
  names = "%{ for n in var.names }${n},%{ endfor }"
}

resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
}
`, want: []string{"infra/tf-open-ingress"}},
		{name: "escaped JSON policy string", path: "iam.tf", before: absent,
			after: "resource \"aws_iam_policy\" \"p\" {\n  policy = \"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"*\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n}\n",
			want:  []string{"infra/tf-wildcard-iam"}},
		{name: "a partial file is no finding", path: "sg.tf", before: open, after: strings.TrimSuffix(open, "}\n")},
	})
}
