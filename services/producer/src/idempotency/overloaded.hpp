#pragma once
// The usual std::visit helper: one lambda per alternative.

namespace kok::producer::idempotency {

template <class... Fn>
struct Overloaded : Fn... {
  using Fn::operator()...;
};
template <class... Fn>
Overloaded(Fn...) -> Overloaded<Fn...>;

}  // namespace kok::producer::idempotency
