/**
 * The estate Latch hands out access to: AWS accounts, their clusters, and the access levels
 * (an IAM role to assume, and what it means inside Kubernetes) on each.
 *
 * <p>Every row records its {@code source}: rows from the inventory file are owned by the file,
 * rows made in the UI by the UI, rows found in AWS by discovery, and demo rows by the dev-mode
 * seed ({@link dev.latch.inventory.DemoInventory}). Entitlements (which groups may use which
 * level, standing or on request) join this model in the inventory issue.
 */
package dev.latch.inventory;
