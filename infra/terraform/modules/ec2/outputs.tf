output "instances" {
  description = "Per node: id, private and public IP, role, tier, group."
  value = {
    for name, inst in aws_instance.node : name => {
      id         = inst.id
      private_ip = inst.private_ip
      public_ip  = inst.public_ip
      role       = var.nodes[name].role
      tier       = var.nodes[name].tier
      group      = var.nodes[name].group
    }
  }
}
