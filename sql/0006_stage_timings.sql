-- Stage timings (README "Stage timings"): prepare, audit, build and publish come from build_events and
-- audit_records.accepted_at; the VM's boot (qemu start to guest agent up) is the VM runner's own figure, kept here
-- for the build's latest attempt. A new attempt (the transition to preparing) clears it.
ALTER TABLE builds ADD COLUMN vm_boot_ms integer NULL CHECK (vm_boot_ms >= 0);
